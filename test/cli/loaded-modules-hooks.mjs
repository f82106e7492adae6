/** The hooks of loaded-modules.mjs (they run on node's loader thread): log each module's URL as it loads. */
import { appendFileSync } from 'node:fs'

let log

export function initialize(data) {
  log = data.log
}

export async function load(url, context, nextLoad) {
  appendFileSync(log, `${url}\n`)
  return nextLoad(url, context)
}
