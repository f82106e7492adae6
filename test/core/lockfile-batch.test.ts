/**
 * Generations that finish together share a lockfile write: changes that
 * arrive while a write waits for the lockfile's lock or runs are applied by
 * the next one, and each caller hears back only once the lockfile on disk
 * has its entry. Writes are counted on the lockfile's diagnostics channel.
 */
import type { LockEntry } from '../../src/core/lockfile'
import type { RecraftFake } from '../fakes/recraft'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { LOCKFILE_NAME, LOCKFILE_WRITE_CHANNEL, updateLockfile } from '../../src/core/lockfile'
import { designProject, readLock } from '../design/project'
import { startRecraftFake } from '../fakes/recraft'
import { copyFixture, listFiles } from '../helpers'

const TOKEN = 'rc-token-SECRET-batch-77c2'
let fake: RecraftFake
const writes: { path: string, changes: number }[] = []
function onWrite(message: unknown) { writes.push(message as { path: string, changes: number }) }

beforeAll(async () => {
  fake = await startRecraftFake(TOKEN)
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.reset()
  writes.length = 0
  subscribe(LOCKFILE_WRITE_CHANNEL, onWrite)
})
afterEach(() => { unsubscribe(LOCKFILE_WRITE_CHANNEL, onWrite) })

const entry = (i: number): LockEntry => ({ key: `k${i}`, file: `a${i}.${String(i).padStart(12, '0')}.png`, sha256: String(i).padStart(64, '0'), provider: 'p', model: 'm', width: 1, height: 1, createdAt: '2026-01-01T00:00:00.000Z' })

describe('lockfile writes', () => {
  it('records fifty changes made at once in one write, and each caller resolves with its entry on disk', async () => {
    const store = join(copyFixture('empty'), 'ai-assets')
    mkdirSync(store, { recursive: true })
    const path = join(store, LOCKFILE_NAME)
    const onDisk: boolean[] = []
    await Promise.all(Array.from({ length: 50 }, (_, i) => updateLockfile(store, (lock) => { lock[`a${i}`] = entry(i) }).then(() => {
      onDisk[i] = `a${i}` in JSON.parse(readFileSync(path, 'utf8'))
    })))
    expect(writes).toEqual([{ path, changes: 50 }])
    expect(onDisk).toEqual(Array.from({ length: 50 }, () => true))
    // A later change is a write of its own, on top of the batch.
    await updateLockfile(store, (lock) => { delete lock.a0 })
    expect(writes.map(w => w.changes)).toEqual([50, 1])
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8'))).length).toBe(49)
  })

  it('checks the paths of a lockfile changed on disk since its own last write, before writing again', async () => {
    const dir = copyFixture('empty')
    const store = join(dir, 'ai-assets')
    mkdirSync(store, { recursive: true })
    const path = join(store, LOCKFILE_NAME)
    await updateLockfile(store, (lock) => { lock.a0 = entry(0) })
    await updateLockfile(store, (lock) => { lock.a1 = entry(1) })
    // Another hand (a merge, a pull request) puts a path out of the store in it.
    const edited = JSON.parse(readFileSync(path, 'utf8'))
    edited.a0.file = '../../outside.0123456789ab.png'
    writeFileSync(path, JSON.stringify(edited, null, 2))
    await expect(updateLockfile(store, (lock) => { lock.a2 = entry(2) })).rejects.toThrow(/asset "a0", field "file": "\.\.\/\.\.\/outside\.0123456789ab\.png"/)
    expect(JSON.parse(readFileSync(path, 'utf8')).a2).toBeUndefined()
  })

  it('a run of 24 generations, 8 at a time, writes the lockfile fewer times than it generates, and records every one', async () => {
    const assets = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`a${i}`, { prompt: `Asset ${i}` }]))
    const dir = designProject({ provider: { name: 'recraft', baseURL: `${fake.url}/v1`, retryDelay: 1 }, assets, imports: {} })
    fake.latency = 50
    const result = await generateAssets({ root: dir, frozen: false, concurrency: 8, env: { RECRAFT_API_TOKEN: TOKEN }, warn: () => {} })
    expect(result.summary.generated).toBe(24)
    const lock = readLock(dir)
    expect(Object.keys(lock).sort()).toEqual(Object.keys(assets).sort())
    // Every recorded image is in the store, and the journal is empty.
    const files = listFiles(join(dir, 'ai-assets'))
    for (const recorded of Object.values(lock))
      expect(files).toContain(recorded.file)
    expect(files.filter(file => file.endsWith('.journal.json'))).toEqual([])
    // Every generation's change was written, in fewer writes than generations.
    expect(writes.reduce((sum, w) => sum + w.changes, 0)).toBe(24)
    expect(writes.length).toBeLessThan(24)
  })
})
