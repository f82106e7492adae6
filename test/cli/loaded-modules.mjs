/**
 * `node --import ./loaded-modules.mjs …`: lists every module the process
 * loads, one URL a line, in $AI_ASSETS_MODULE_LOG. ES modules are logged by a
 * load hook as they load; CommonJS ones (which a hook does not see when
 * required from CommonJS) from require's cache at exit.
 */
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
import process from 'node:process'
import { pathToFileURL } from 'node:url'

const log = process.env.AI_ASSETS_MODULE_LOG
if (!log)
  throw new Error('loaded-modules.mjs needs AI_ASSETS_MODULE_LOG: the file to list loaded modules in')
register('./loaded-modules-hooks.mjs', import.meta.url, { data: { log } })
const cache = createRequire(import.meta.url).cache
process.on('exit', () => {
  appendFileSync(log, Object.keys(cache).map(file => `${pathToFileURL(file).href}\n`).join(''))
})
