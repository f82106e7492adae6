#!/usr/bin/env node
/** The `ai-assets` bin. Ctrl-C stops starting new work and aborts requests; a second Ctrl-C exits at once. */
import process from 'node:process'
import { run } from './program'

const controller = new AbortController()
let interrupts = 0
process.on('SIGINT', () => {
  if (++interrupts > 1)
    process.exit(130)
  process.stderr.write('\nInterrupting: waiting for the requests in flight to stop (Ctrl-C again to quit now)…\n')
  controller.abort(new Error('Interrupted'))
})

run(process.argv.slice(2), { signal: controller.signal }).then((code) => {
  process.exitCode = code
}, (error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? error}\n`)
  process.exitCode = 1
})
