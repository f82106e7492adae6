/**
 * Benchmark (not a test): `generateAssets` of dist/ (the files `npm pack`
 * ships, rebuilt when src/ is newer), as `ai-assets generate` runs it, for
 * 40 assets against the Runware fake answering after 400 ms, with
 * concurrency 8. The ideal is ceil(40 / 8) rounds × 0.4 s = 2 s; the target
 * is ≤ 1.03× (issue 11). The fake serves photo-like 1024×1024 JPEGs (noise,
 * gradients, shapes), rendered before the clock starts and served in turn, so
 * that decoding them is real work for the client and making them is none for
 * the fake. The fake runs in a child process (lib/runware-child.ts): the
 * ideal assumes a provider that costs the client nothing, so this process is
 * the client alone. Timed from the plan (the config is loaded and planned) to
 * the result, so storing every image and recording it in the lockfile are in;
 * the whole call is printed beside it. Median of BENCH_RUNS, with the load.
 * Each run is followed by one of the floor (lib/minimal-client.ts): the least
 * a client can do for the same images against the same fake, in this run and
 * on these cores, so that what the plugin's own work costs (its locks,
 * journal, fsyncs and lockfile records among it) is told apart from what the
 * machine allows.
 *
 *   npm run bench:generate            (BENCH_RUNS=n for more than 5 runs)
 */
import type { ChildProcess } from 'node:child_process'
import type { FakeReply, FakeRequest } from './lib/runware-child'
import { fork } from 'node:child_process'
import { once as onceEvent } from 'node:events'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildDist, median } from './lib/measure'
import { minimalClient } from './lib/minimal-client'

const ASSETS = 40
const CONCURRENCY = 8
const LATENCY = 400
const RUNS = Number(process.env.BENCH_RUNS) || 5
const TARGET = 1.03
const KEY = 'bench-key-0000'
const PHOTOS = 8

const root = fileURLToPath(new URL('..', import.meta.url))
buildDist()
const { generateAssets } = await import(pathToFileURL(join(root, 'dist/index.mjs')).href) as typeof import('../src/index')
const ideal = Math.ceil(ASSETS / CONCURRENCY) * LATENCY / 1000

// The fake in its own process (lib/runware-child.ts): this process is the client, and only the client.
const child: ChildProcess = fork(fileURLToPath(new URL('./lib/runware-child.ts', import.meta.url)), [KEY, String(LATENCY), String(PHOTOS)], {
  execArgv: ['--import', 'jiti/register'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
/** Sends a request to the fake and waits for its answer of that type (or the first message, for `ready`). */
async function ask<T extends FakeReply['type']>(type: T, request?: FakeRequest): Promise<Extract<FakeReply, { type: T }>> {
  const answer = new Promise<Extract<FakeReply, { type: T }>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the Runware fake exited (${code}) before answering "${type}"`))
    const onMessage = (message: FakeReply) => {
      if (message.type !== type)
        return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as Extract<FakeReply, { type: T }>)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
  if (request)
    child.send(request)
  return answer
}
const { url } = await ask('ready')

const assets = Object.fromEntries(Array.from({ length: ASSETS }, (_, i) => [`asset-${i}`, { prompt: `Benchmark asset ${i}`, size: '1024x1024' }]))
const provider = { name: 'runware', baseURL: `${url}/v1`, outputFormat: 'JPG' }

interface Run { generation: number, whole: number, maxInFlight: number, lastArrival: number }

async function once(run: number): Promise<Run> {
  const dir = join(root, '.tmp', `bench-generate-${process.pid}-${run}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'assets.config.ts'), `export default ${JSON.stringify({ provider, assets })}\n`)
  await ask('reset', { type: 'reset' })
  try {
    let planned = 0
    const started = performance.now()
    const result = await generateAssets({
      root: dir,
      frozen: false,
      concurrency: CONCURRENCY,
      env: { RUNWARE_API_KEY: KEY },
      warn: console.warn,
      onProgress: (event) => {
        if (event.type === 'plan')
          planned = performance.now()
      },
    })
    const ended = performance.now()
    if (!result.ok || result.summary.generated !== ASSETS)
      throw new Error(`run ${run}: ${JSON.stringify(result.summary)} ${result.results.find(r => r.error)?.error ?? ''}`)
    const stats = await ask('stats', { type: 'stats' })
    // The fake's clock is another process's: both in epoch ms.
    const plannedAt = performance.timeOrigin + planned
    return { generation: (ended - planned) / 1000, whole: (ended - started) / 1000, maxInFlight: stats.maxInFlight, lastArrival: Math.max(...stats.arrivals) - plannedAt }
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function floorOnce(run: number): Promise<number> {
  const dir = join(root, '.tmp', `bench-generate-floor-${process.pid}-${run}`)
  mkdirSync(dir, { recursive: true })
  await ask('reset', { type: 'reset' })
  try {
    return await minimalClient({ url, key: KEY, assets: ASSETS, concurrency: CONCURRENCY, dir })
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

try {
  const runs: Run[] = []
  const floors: number[] = []
  for (let run = 0; run < RUNS; run++) {
    runs.push(await once(run))
    floors.push(await floorOnce(run))
  }
  const generation = median(runs.map(r => r.generation))
  const floor = median(floors)
  const ratio = generation / ideal
  console.log(`generate: ${ASSETS} assets, concurrency ${CONCURRENCY}, ${LATENCY} ms per request, photo-like 1024×1024 JPEGs; median of ${RUNS} runs (load average ${loadavg().map(n => n.toFixed(2)).join(' ')})`)
  console.log(`  generation     ${generation.toFixed(3)} s  (runs: ${runs.map(r => r.generation.toFixed(3)).join(', ')})`)
  console.log(`  whole call     ${median(runs.map(r => r.whole)).toFixed(3)} s  (with loading and planning the config)`)
  console.log(`  ideal          ${ideal.toFixed(3)} s  (ceil(${ASSETS}/${CONCURRENCY}) × ${LATENCY / 1000} s)`)
  console.log(`  ratio          ${ratio.toFixed(3)}×  (target ≤ ${TARGET}×) ${ratio <= TARGET ? 'ok' : 'SLOWER THAN TARGET'}`)
  console.log(`  floor          ${floor.toFixed(3)} s  (${(floor / ideal).toFixed(3)}× the ideal; a minimal client, lib/minimal-client.ts; runs: ${floors.map(f => f.toFixed(3)).join(', ')})`)
  console.log(`  above it       ${((generation - floor) * 1000).toFixed(0)} ms  (${(generation / floor).toFixed(3)}×: the plugin's own work beyond it, such as key locks, the journal, fsyncs and a lockfile record per asset)`)
  console.log(`  max in flight  ${Math.max(...runs.map(r => r.maxInFlight))} (bound ${CONCURRENCY})`)
  console.log(`  last request   after ${median(runs.map(r => r.lastArrival)).toFixed(0)} ms (ideal ${((Math.ceil(ASSETS / CONCURRENCY) - 1) * LATENCY).toFixed(0)} ms)`)
}
finally {
  child.send({ type: 'close' } satisfies FakeRequest)
  await onceEvent(child, 'exit')
}
