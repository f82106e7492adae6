/**
 * `kill -9` of the real CLI (`node dist/cli/index.mjs generate`) at random
 * moments of a generation against the Runware fake, then a rerun. After each
 * kill the store must be consistent, and the rerun must neither stall on the
 * dead process's locks nor pay again for what the killed run had stored.
 *
 * The one payment that may happen twice: a call that was in flight at the
 * kill (the provider may have billed it, but its image never reached the
 * store). Everything whose bytes reached the store is adopted.
 */
import type { FakeServer } from '../fakes/server'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, cli } from '../cli/cli'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture } from '../helpers'
import { callsByPrompt, isRecorded, viewStore } from './store-check'

const KEY = 'rw-key-reliability-kill'
const TRIALS = 22
const LANES = 2
/** Each provider call answers after this long, so that kills land while calls are out. */
const LATENCY_MS = 150

/** When to kill: `ms` after the spawn, or after the first provider call arrived. */
interface KillAt { ms: number, from: 'spawn' | 'first call' }

interface Trial {
  killAt: KillAt
  /** Calls of the killed run, and of the rerun, by prompt. */
  first: Map<string, number>
  second: Map<string, number>
  /** Keys whose call was in flight at the kill and was paid again by the rerun. */
  repaid: number
  adopted: number
  /** Temp files a killed write left. */
  temps: number
  rerunMs: number
}

function start(dir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'generate', '--concurrency', '2'], { cwd: dir, env: { ...process.env, CI: '', FORCE_COLOR: '0', ...env }, stdio: 'ignore' })
  const exited = new Promise<void>(resolve => child.on('exit', () => resolve()))
  return { child, exited }
}

async function trial(fake: FakeServer, killAt: KillAt): Promise<Trial> {
  const env = { RUNWARE_API_KEY: KEY, TEST_RUNWARE_URL: `${fake.url}/v1` }
  const dir = copyFixture('reliability')
  const store = join(dir, 'ai-assets')
  fake.reset()
  fake.latency = LATENCY_MS
  const run = start(dir, env)
  if (killAt.from === 'first call') {
    while (fake.apiRequests.length === 0)
      await sleep(5)
  }
  await sleep(killAt.ms)
  run.child.kill('SIGKILL')
  await run.exited
  await sleep(50)
  const first = callsByPrompt(fake)
  const context = `kill ${killAt.ms} ms after the ${killAt.from}`
  for (const [prompt, calls] of first)
    expect(calls, `${context}: the killed run paid "${prompt}" more than once`).toBe(1)

  // Right after the kill: whatever the lockfile says is intact (writes are atomic).
  const killed = viewStore(store)
  expect(killed.broken, context).toEqual([])

  fake.reset()
  fake.latency = LATENCY_MS
  const began = performance.now()
  const rerun = await cli(dir, ['generate', '--concurrency', '2'], env)
  const rerunMs = performance.now() - began
  expect(rerun.code, `${context}: ${rerun.stderr}`).toBe(0)
  expect(rerun.stderr, context).not.toContain('waiting for the lock')
  const second = callsByPrompt(fake)

  const after = viewStore(store)
  expect(Object.keys(after.lock).sort(), context).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
  expect(after.broken, context).toEqual([])
  // Nothing that was paid and stored is lost: every original in the store is referenced.
  expect(after.unreferenced, context).toEqual([])
  expect([...after.journals.keys()], context).toEqual([])
  // A lock the killed process held on a key that is now fresh may stay: nobody needs it, and the next taker takes it over at once.
  for (const lock of after.locks)
    expect(JSON.parse(readFileSync(join(store, '.locks', lock, 'owner.json'), 'utf8')).pid, `${context}: ${lock}`).toBe(run.child.pid)
  expect(after.lock.g.file, context).toBe(after.lock.a.file)

  let repaid = 0
  const keyOf = new Map(Object.values<any>(after.lock).map(entry => [entry.inputs.prompt, entry.key]))
  for (const [prompt, key] of keyOf) {
    const again = second.get(prompt) ?? 0
    if (isRecorded(store, killed, key))
      expect(again, `${context}: "${prompt}" was stored before the kill, yet paid again`).toBe(0)
    else
      expect(again, `${context}: "${prompt}"`).toBe(1)
    expect((first.get(prompt) ?? 0) + again, `${context}: "${prompt}"`).toBeLessThanOrEqual(2)
    if (first.get(prompt) && again)
      repaid++
  }
  // Each call that was in flight is announced as possibly billed (a journal was written before it was sent).
  const billed = (rerun.stderr.match(/was stopped while generating it; that call may have been billed/g) ?? []).length
  expect(billed, `${context}: ${rerun.stderr}`).toBeGreaterThanOrEqual(repaid)
  // Temp files of killed writes are never trusted: nothing references them, and prune removes exactly them.
  if (after.temps.length > 0) {
    const prune = await cli(dir, ['prune', '--dry-run'], env)
    const listed = prune.stdout.split('\n').filter(line => line.startsWith('would remove')).map(line => line.replace(/^would remove\s+ai-assets\//, ''))
    expect(listed.sort(), context).toEqual([...after.temps].sort())
  }
  const adopted = (rerun.stderr.match(/adopting /g) ?? []).length
  return { killAt, first, second, repaid, adopted, temps: after.temps.length, rerunMs }
}

describe('kill -9 during a generation, then a rerun', () => {
  const fakes: FakeServer[] = []
  beforeAll(async () => {
    for (let lane = 0; lane < LANES; lane++)
      fakes.push(await startRunwareFake(KEY))
  })
  afterAll(() => Promise.all(fakes.map(fake => fake.close())))

  it(`keeps the store consistent and pays each key at most once more, only for a call in flight (${TRIALS} trials)`, async () => {
    // How long an uninterrupted run takes here, and how much of it is spent generating: kills land anywhere in it.
    const fake = fakes[0]!
    fake.reset()
    fake.latency = LATENCY_MS
    const began = performance.now()
    const full = start(copyFixture('reliability'), { RUNWARE_API_KEY: KEY, TEST_RUNWARE_URL: `${fake.url}/v1` })
    while (fake.apiRequests.length === 0)
      await sleep(5)
    const firstCall = performance.now()
    await full.exited
    const duration = performance.now() - began
    const generating = performance.now() - firstCall
    // a and g share a key: 7 calls for 8 assets.
    expect(fake.apiRequests).toHaveLength(7)

    const trials: Trial[] = []
    const random = (ms: number) => Math.round(ms * Math.random())
    await Promise.all(fakes.map(async (lane, index) => {
      for (let i = index; i < TRIALS; i += LANES)
        trials.push(await trial(lane, i % 4 === 0 ? { ms: random(duration), from: 'spawn' } : { ms: random(generating * 1.1), from: 'first call' }))
    }))
    expect(trials).toHaveLength(TRIALS)

    const killedMidway = trials.filter(t => t.first.size > 0 && t.second.size > 0).length
    const slowest = Math.max(...trials.map(t => t.rerunMs))
    // eslint-disable-next-line no-console -- the trials' summary is this test's report
    console.info(`kill -9: ${TRIALS} trials over ${Math.round(duration)} ms runs (${Math.round(generating)} ms generating); ${killedMidway} killed with calls made and calls left; `
      + `${trials.reduce((n, t) => n + t.adopted, 0)} stored images adopted; ${trials.reduce((n, t) => n + t.repaid, 0)} in-flight calls paid again; ${trials.reduce((n, t) => n + t.temps, 0)} temp files left; `
      + `slowest rerun ${Math.round(slowest)} ms (the uninterrupted run: ${Math.round(duration)} ms)`)
    // A lock left by the killed process never stalls the rerun (it used to wait 30 s for it to go stale).
    expect(slowest).toBeLessThan(25_000)
    expect(killedMidway).toBeGreaterThan(0)
  }, 240_000)
})
