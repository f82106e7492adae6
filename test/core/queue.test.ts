/**
 * The one queue of a run (README "Settings every network provider takes"):
 * a paid generation takes one slot of the pipeline's queue for all its
 * provider calls (its brand's style, the generation, background removal), and
 * `generateAssets` holds the budget and reports "start" from inside that slot.
 * Against the Recraft fake (a real node:http server) and the CLI fixture's
 * custom provider, with many more assets than slots.
 */
import type { GenerateEvent } from '../../src/core/generate'
import type { RecraftFake } from '../fakes/recraft'
import { getEventListeners } from 'node:events'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { providerLog } from '../cli/cli'
import { designProject, readLock, writeReference } from '../design/project'
import { startRecraftFake } from '../fakes/recraft'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture, listFiles } from '../helpers'

const TOKEN = 'rc-token-SECRET-queue-5e1d'
const env = { RECRAFT_API_TOKEN: TOKEN }
let fake: RecraftFake

beforeAll(async () => {
  fake = await startRecraftFake(TOKEN)
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

/** `count` assets with their background removed, of one brand if asked: its style is one more call, by the first. */
async function project(count: number, options: { brand?: boolean } = {}): Promise<string> {
  const assets = Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, { prompt: `Asset ${i}`, transparent: true }]))
  const dir = designProject({
    provider: { name: 'recraft', baseURL: `${fake.url}/v1`, retryDelay: 1 },
    ...(options.brand ? { brands: { acme: { references: ['./brand/a.png'] } }, defaults: { brand: 'acme' } } : {}),
    assets,
    imports: {},
  })
  if (options.brand)
    await writeReference(dir, 'brand/a.png', '#ff6b35')
  return dir
}

/** Each asset's events in order, e.g. `{ a0: ['start', 'done'] }`. */
function eventsByAsset(events: GenerateEvent[]): Record<string, string[]> {
  const byAsset: Record<string, string[]> = {}
  for (const event of events) {
    if (event.type === 'start')
      (byAsset[event.name] ??= []).push('start')
    else if (event.type === 'done')
      (byAsset[event.result.name] ??= []).push('done')
  }
  return byAsset
}

describe('one queue of generations', () => {
  it.each([1, 3])('concurrency %i bounds every provider request, a brand\'s style and background removal included, with 10 assets waiting', async (concurrency) => {
    const dir = await project(10, { brand: true })
    fake.latency = 60
    const events: GenerateEvent[] = []
    // How many requests were out when each asset was said to start: its own is not out yet.
    const outAtStart: number[] = []
    const result = await generateAssets({
      root: dir,
      env,
      concurrency,
      warn: () => {},
      onProgress: (event) => {
        events.push(event)
        if (event.type === 'start')
          outAtStart.push(fake.inFlight)
      },
    })

    expect(result.ok, JSON.stringify(result.results)).toBe(true)
    expect(result.summary.generated).toBe(10)
    // One style, then a generation and a background removal per asset, never more than `concurrency` at once.
    expect(fake.apiRequests).toHaveLength(21)
    expect(fake.apiRequests.filter(r => r.path === '/v1/styles')).toHaveLength(1)
    expect(fake.maxInFlight).toBe(concurrency)
    expect(Math.max(...outAtStart)).toBeLessThan(concurrency)
    // Every asset starts once, in its slot, in plan order, and ends after it started.
    expect(Object.values(eventsByAsset(events))).toEqual(Array.from({ length: 10 }, () => ['start', 'done']))
    expect(events.flatMap(e => e.type === 'start' ? [e.name] : [])).toEqual(result.plan.map(item => item.name))
    expect(Object.keys(readLock(dir)).filter(name => !name.startsWith('$')).sort()).toEqual([...result.config.assets.keys()].sort())
  })

  it('an abort while many assets wait for a slot skips them all, sends nothing more, leaves nothing partial, and counts the estimates of the calls in flight as spent', async () => {
    const dir = await project(8)
    // The first two requests would be answered after 30 s: the abort comes once both are out.
    fake.fail({ kind: 'slow', ms: 30_000 }, 2)
    const controller = new AbortController()
    const events: GenerateEvent[] = []
    const running = generateAssets({ root: dir, env, concurrency: 2, signal: controller.signal, warn: () => {}, onProgress: event => events.push(event) })
    while (fake.apiRequests.length < 2)
      await new Promise(resolve => setTimeout(resolve, 10))
    controller.abort()
    const result = await running

    expect(result.interrupted).toBe(true)
    expect(result.summary).toMatchObject({ generated: 0, skipped: 8, failed: 0 })
    // The two whose requests were out may have been billed, and say so; the six waiting were never sent.
    const inFlight = result.results.filter(r => r.mayHaveBeenBilled)
    expect(inFlight).toHaveLength(2)
    expect(inFlight.every(r => r.error === 'interrupted while its request was in flight: the call may have been billed')).toBe(true)
    expect(result.results.filter(r => !r.mayHaveBeenBilled).every(r => r.error === 'interrupted')).toBe(true)
    // Their estimates count as spent (the provider may have billed them); nothing else does.
    const estimate = (name: string) => result.plan.find(item => item.name === name)!.estimate.usd!
    expect(estimate(inFlight[0]!.name)).toBeGreaterThan(0)
    expect(inFlight.map(r => [r.cost, r.costIsEstimate])).toEqual(inFlight.map(r => [estimate(r.name), true]))
    expect(result.summary.cost).toBeCloseTo(estimate(inFlight[0]!.name) + estimate(inFlight[1]!.name), 6)
    expect(result.summary.costIsEstimate).toBe(true)
    expect(fake.apiRequests).toHaveLength(2)
    // Only the generations that held the slots were said to start.
    expect(events.filter(e => e.type === 'start').map(e => (e as { name: string }).name).sort()).toEqual(inFlight.map(r => r.name).sort())
    const store = join(dir, 'ai-assets')
    expect(existsSync(store) ? listFiles(store).filter(file => !file.startsWith('.locks/')) : []).toEqual([])
  })
})

describe('what a run counts as spent', () => {
  it('a call that may have been billed (no answer within its timeout) counts its estimate, marked so; one refused before any work counts nothing', async () => {
    const dir = designProject({ provider: { name: 'recraft', baseURL: `${fake.url}/v1`, retryDelay: 1, timeout: 300 }, assets: { a0: { prompt: 'Asset 0' }, a1: { prompt: 'Asset 1' } }, imports: {} })
    // a0's request gets no answer; a1's is refused (HTTP 400), which the provider did no work for.
    fake.fail({ kind: 'silent', ms: 5000 })
    fake.fail({ kind: 'status', status: 400 })
    const result = await generateAssets({ root: dir, env, concurrency: 1, warn: () => {} })

    const [a0, a1] = result.results
    const estimate = result.plan.find(item => item.name === 'a0')!.estimate.usd!
    expect(estimate).toBeGreaterThan(0)
    expect(a0).toMatchObject({ outcome: 'failed', mayHaveBeenBilled: true, cost: estimate, costIsEstimate: true })
    expect(a0!.error).toContain('The call may have been billed')
    expect(a1).toMatchObject({ outcome: 'failed' })
    expect(a1!.mayHaveBeenBilled).toBeUndefined()
    expect(a1!.cost).toBeUndefined()
    expect(result.summary).toMatchObject({ failed: 2, costIsEstimate: true })
    expect(result.summary.cost).toBeCloseTo(estimate, 6)
  })
})

describe('one queue: a slot ends with the last paid answer', () => {
  it('a download that takes its time holds up no other generation, and an image that does not decode is still refused', async () => {
    const key = 'rw-key-SECRET-queue-77a0'
    const runware = await startRunwareFake(key)
    try {
      const dir = designProject({ provider: { name: 'runware', baseURL: `${runware.url}/v1`, retryDelay: 1 }, assets: { a0: { prompt: 'Asset 0' }, a1: { prompt: 'Asset 1' }, a2: { prompt: 'Asset 2' } }, imports: {} })
      // Runware answers with image URLs (its default outputType): the first download answers after 2 s,
      // the second is cut in half (a truncated JPEG: retried, as a GET may be).
      runware.fail({ kind: 'silent', ms: 2000, on: 'download' })
      runware.fail({ kind: 'truncated', on: 'download' })
      const result = await generateAssets({ root: dir, env: { RUNWARE_API_KEY: key }, concurrency: 1, warn: () => {} })

      expect(result.ok, JSON.stringify(result.results)).toBe(true)
      expect(result.summary.generated).toBe(3)
      expect(runware.maxInFlight).toBe(1)
      const [first, second, third] = runware.apiRequests
      const downloads = runware.requests.filter(r => r.kind === 'download')
      // With one slot, the next request went out once the first was answered, not once its image was in.
      expect(second!.at).toBeLessThan(downloads[0]!.at + 2000)
      expect(third!.at).toBeLessThan(downloads[0]!.at + 2000)
      expect(first!.at).toBeLessThan(second!.at)
      // Four downloads: the cut one was fetched again, and nothing was paid twice.
      expect(downloads).toHaveLength(4)
      expect(runware.apiRequests).toHaveLength(3)
      for (const name of ['a0', 'a1', 'a2']) {
        const entry = readLock(dir)[name]
        const meta = await sharp(join(dir, 'ai-assets', entry.file)).metadata()
        expect([meta.width, meta.height]).toEqual([entry.width, entry.height])
      }
    }
    finally {
      await runware.close()
    }
  })
})

describe('one queue: many calls at once', () => {
  it('a run with more requests and downloads out than Node\'s default of 10 listeners raises no warning, with the caller\'s signal too', async () => {
    const key = 'rw-key-SECRET-queue-3b9d'
    const runware = await startRunwareFake(key)
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const assets = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`a${i}`, { prompt: `Asset ${i}` }]))
      const dir = designProject({ provider: { name: 'runware', baseURL: `${runware.url}/v1`, retryDelay: 1 }, assets, imports: {} })
      runware.latency = 50
      // Every download waits too, so that downloads and the next requests are out together.
      runware.fail({ kind: 'silent', ms: 100, on: 'download' }, 16)
      const caller = new AbortController().signal
      const result = await generateAssets({ root: dir, env: { RUNWARE_API_KEY: key }, concurrency: 12, signal: caller, warn: () => {} })

      expect(result.ok, JSON.stringify(result.results)).toBe(true)
      expect(runware.maxInFlight).toBe(12)
      await new Promise(resolve => setImmediate(resolve))
      expect(warnings.map(w => w.name)).not.toContain('MaxListenersExceededWarning')
      // Nor is anything left listening to the caller's signal, which may serve many runs.
      expect(getEventListeners(caller, 'abort')).toEqual([])
    }
    finally {
      process.off('warning', onWarning)
      await runware.close()
    }
  })
})

describe('one queue: the budget with shared keys and many assets waiting', () => {
  it('stops before the cap: payers within it, their twins reuse the image, the rest not started, nothing hangs', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const config = join(dir, 'assets.config.ts')
    // Four keys, each with a twin that only differs in its widths (the same generation inputs).
    const assets = Array.from({ length: 4 }, (_, i) => [
      `    'p${i}': { prompt: 'Picture ${i}', size: '256x256', widths: [64] },`,
      `    't${i}': { prompt: 'Picture ${i}', size: '256x256', widths: [32] },`,
    ].join('\n')).join('\n')
    writeFileSync(config, readFileSync(config, 'utf8').replace(/ {2}assets: \{[\s\S]*?\n {2}\},/, `  assets: {\n${assets}\n  },`))
    process.env.TEST_PROVIDER_LOG = log
    process.env.TEST_PROVIDER_COST = '0.05'
    process.env.TEST_PROVIDER_DELAY = '50'
    const events: GenerateEvent[] = []
    try {
      // The custom provider has no price: the first generation runs alone and its $0.05 becomes the estimate.
      // Then $0.05 spent + $0.05 held fits $0.12, a third would not: the run stops with two keys paid.
      const result = await generateAssets({ root: dir, env: { TEST_PROVIDER_KEY: 'k' }, maxCost: 0.12, concurrency: 2, warn: () => {}, onProgress: event => events.push(event) })

      expect(result.stoppedByBudget).toBe(true)
      const paid = providerLog(log).map(call => call.asset)
      expect(paid).toHaveLength(2)
      expect(result.summary).toMatchObject({ generated: 2, cost: 0.1 })
      const outcome = Object.fromEntries(result.results.map(r => [r.name, r]))
      const lock = readLock(dir)
      for (let i = 0; i < 4; i++) {
        const [payer, twin] = outcome[`p${i}`]!.outcome === 'generated' ? [`p${i}`, `t${i}`] : [`t${i}`, `p${i}`]
        if (paid.includes(payer)) {
          // Its twin costs nothing more: it takes the image even once the cap has stopped the run.
          expect(outcome[twin]!.outcome).toBe('cached')
          expect(lock[twin].file).toBe(lock[payer].file)
        }
        else {
          for (const name of [payer, twin]) {
            expect(outcome[name]!.outcome).toBe('skipped')
            expect(outcome[name]!.error).toMatch(/^not started: it could take the run past --max-cost of \$0\.12/)
            expect(lock[name]).toBeUndefined()
          }
        }
      }
      expect(result.summary.skipped).toBe(4)
      // An asset not started was never said to start; the others started once, before they ended.
      const byAsset = eventsByAsset(events)
      for (const r of result.results)
        expect(byAsset[r.name]).toEqual(r.outcome === 'skipped' ? ['done'] : ['start', 'done'])
    }
    finally {
      delete process.env.TEST_PROVIDER_LOG
      delete process.env.TEST_PROVIDER_COST
      delete process.env.TEST_PROVIDER_DELAY
    }
  })
})

describe('one queue: waiting on another process', () => {
  it('an asset whose key another process holds keeps neither a slot nor the assets after it', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const env = { TEST_PROVIDER_KEY: 'k' }
    const { config } = await generateAssets({ root: dir, env, dryRun: true })
    // A live holder on another host (it refreshed its lock just now) is generating hero's key.
    const lock = join(dir, 'ai-assets', '.locks', `${config.assets.get('hero')!.key}.lock`)
    mkdirSync(lock, { recursive: true })
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: 4242, host: 'build-agent-7', started: new Date().toISOString(), token: 'other' }))
    process.env.TEST_PROVIDER_LOG = log
    const done: string[] = []
    try {
      const result = await generateAssets({
        root: dir,
        env,
        concurrency: 1,
        warn: () => {},
        onProgress: (event) => {
          if (event.type !== 'done')
            return
          done.push(event.result.name)
          // The others are generated while hero waits; then the other process lets go of hero's key.
          if (done.length === 2)
            rmSync(lock, { recursive: true, force: true })
        },
      })
      expect(result.ok, JSON.stringify(result.results)).toBe(true)
      // The others take the one slot in plan order; hero takes it last.
      expect(providerLog(log).map(call => call.asset)).toEqual(['logo', 'icons/bolt', 'hero'])
      expect(done.at(-1)).toBe('hero')
    }
    finally {
      delete process.env.TEST_PROVIDER_LOG
    }
  })
})
