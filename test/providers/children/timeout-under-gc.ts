/**
 * Run with `node --expose-gc --import jiti/register`: one POST through the
 * HTTP layer to a server that never answers, with a garbage collection every
 * 20 ms. Prints how it ended. A timeout built on AbortSignal.any +
 * AbortSignal.timeout is collected here and never fires.
 */
import { httpOptions, postJSON } from '../../../src/providers/http'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc)
  throw new Error('run with --expose-gc')
const collect = setInterval(gc, 20)
const started = Date.now()
const http = { ...httpOptions({ timeout: 1000, retries: 0 }, {}, [], 'the dashboard') }
postJSON(http, { url: process.argv[2]!, headers: {}, body: {}, signal: new AbortController().signal })
  .then(() => 'answered', (error: Error) => error.message)
  .then((message) => {
    clearInterval(collect)
    process.stdout.write(JSON.stringify({ ms: Date.now() - started, message }))
  })
