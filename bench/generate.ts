/**
 * Benchmark (not a test): 40 assets generated through the real pipeline
 * against the Runware fake answering after 400 ms, with concurrency 8. The
 * ideal is ceil(40 / 8) × 0.4 s = 2 s; the scheduler should stay within 1.15×.
 *
 *   npm run bench:generate
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPipeline } from '../src/core/pipeline'
import { startRunwareFake } from '../test/fakes/runware'

const ASSETS = 40
const CONCURRENCY = 8
const LATENCY = 400
const KEY = 'bench-key-0000'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = join(root, '.tmp', `bench-generate-${process.pid}`)
mkdirSync(dir, { recursive: true })

const fake = await startRunwareFake(KEY)
fake.latency = LATENCY
// The fake renders each of its 8 images once: do it now, so that the timing is the client's.
await Promise.all(Array.from({ length: 8 }, () => fake.image(1024, 1024, 'png')))
try {
  const assets = Object.fromEntries(Array.from({ length: ASSETS }, (_, i) => [`asset-${i}`, { prompt: `Benchmark asset ${i}`, size: '1024x1024' }]))
  writeFileSync(join(dir, 'assets.config.ts'), `export default ${JSON.stringify({ provider: { name: 'runware', baseURL: `${fake.url}/v1` }, assets })}\n`)
  const pipeline = createPipeline({ root: dir, frozen: false, concurrency: CONCURRENCY, env: { RUNWARE_API_KEY: KEY }, warn: console.warn })
  await pipeline.config()

  const started = performance.now()
  await Promise.all(Object.keys(assets).map(name => pipeline.original(name)))
  const wall = (performance.now() - started) / 1000

  const ideal = Math.ceil(ASSETS / CONCURRENCY) * LATENCY / 1000
  const ratio = wall / ideal
  console.log(`generate: ${ASSETS} assets, concurrency ${CONCURRENCY}, ${LATENCY} ms per request`)
  console.log(`  wall time      ${wall.toFixed(3)} s`)
  console.log(`  ideal          ${ideal.toFixed(3)} s  (ceil(${ASSETS}/${CONCURRENCY}) × ${LATENCY / 1000} s)`)
  console.log(`  ratio          ${ratio.toFixed(3)}×  (target ≤ 1.15×) ${ratio <= 1.15 ? 'ok' : 'SLOWER THAN TARGET'}`)
  console.log(`  max in flight  ${fake.maxInFlight} (bound ${CONCURRENCY})`)
  const arrivals = fake.apiRequests.map(r => r.at - started)
  console.log(`  API requests   ${arrivals.length}; first arrived after ${Math.min(...arrivals).toFixed(0)} ms, last after ${Math.max(...arrivals).toFixed(0)} ms (ideal ${((Math.ceil(ASSETS / CONCURRENCY) - 1) * LATENCY).toFixed(0)} ms)`)
}
finally {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
}
