/**
 * Two project folders sharing one store (`store: '../shared-store'`), each
 * running the real CLI at the same time: the per-key locks live with the
 * store, so each key is paid once and the lockfile keeps every entry.
 */
import type { FakeServer } from '../fakes/server'
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../cli/cli'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture } from '../helpers'
import { callsByPrompt, viewStore } from './store-check'

const KEY = 'rw-key-reliability-race'

describe('processes in two folders sharing one store', () => {
  let fake: FakeServer
  beforeAll(async () => {
    fake = await startRunwareFake(KEY)
  })
  afterAll(() => fake.close())

  it('pay each key once, and both see every asset fresh', async () => {
    const root = copyFixture('reliability')
    const folders = ['site', 'docs'].map((name) => {
      const dir = join(root, name)
      mkdirSync(dir)
      cpSync(join(root, 'assets.config.ts'), join(dir, 'assets.config.ts'))
      return dir
    })
    const env = { RUNWARE_API_KEY: KEY, TEST_RUNWARE_URL: `${fake.url}/v1`, TEST_STORE: '../shared-store' }
    fake.latency = 100

    const runs = await Promise.all(folders.map(dir => cli(dir, ['generate'], env)))
    for (const run of runs)
      expect(run.code, run.stderr).toBe(0)

    // 8 assets, 7 keys (a and g share one): 7 calls in all, not 14 (or 16).
    const calls = callsByPrompt(fake)
    expect([...calls.values()].reduce((a, b) => a + b, 0)).toBe(7)
    expect([...calls.values()].every(n => n === 1)).toBe(true)

    const store = viewStore(join(root, 'shared-store'))
    expect(Object.keys(store.lock).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
    expect(store.broken).toEqual([])
    expect(store.unreferenced).toEqual([])
    expect(store.locks).toEqual([])
    // The locks live in the store, git-ignored, not in either folder's node_modules/.cache.
    expect(readFileSync(join(root, 'shared-store', '.locks', '.gitignore'), 'utf8')).toMatch(/^\*$/m)
    for (const dir of folders)
      expect(existsSync(join(dir, 'node_modules', '.cache', 'ai-assets', 'locks'))).toBe(false)
    expect(runs.map(run => run.stdout).join('\n')).toMatch(/Summary: \d generated/)
    for (const dir of folders) {
      const status = await cli(dir, ['status', '--check'], env)
      expect(status.code, status.stdout + status.stderr).toBe(0)
    }
  })
})
