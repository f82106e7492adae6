/**
 * The verified index (src/core/verified-index.ts) on real files: what it lets
 * a check skip, and every change that makes a check read and hash the file
 * again. Reads are counted on the store's diagnostics channel.
 */
import type { BigIntStats } from 'node:fs'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { cacheDirOf } from '../../src/core/cache-dir'
import { RACY_MS } from '../../src/core/stat-fingerprint'
import { isIntact, STORE_READ_CHANNEL } from '../../src/core/store'
import { openVerifiedIndex, verifiedIndexOf, verifiedIndexPath } from '../../src/core/verified-index'
import { copyFixture } from '../helpers'

const FILE = 'hero.0123456789ab.png'

interface Project {
  owner: { store: string, file: string }
  path: string
  bytes: Buffer
  hash: string
  /** Where the index of this store is. */
  index: string
}

/** A project folder with one store file of random bytes (the index never decodes). */
function project(): Project {
  const root = copyFixture('empty')
  const store = join(root, 'ai-assets')
  mkdirSync(store, { recursive: true })
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + root.length) % 256))
  const path = join(store, FILE)
  writeFileSync(path, bytes)
  // Whole seconds, so that a test can put the mtime back exactly (utimes takes no nanoseconds).
  const minuteAgo = Math.floor(Date.now() / 1000) - 60
  utimesSync(path, minuteAgo, minuteAgo)
  const owner = { store, file: join(root, 'assets.config.ts') }
  return { owner, path, bytes, hash: sha256(bytes), index: verifiedIndexPath(cacheDirOf(owner), store) }
}

/** The same bytes, one flipped: what a damaged file looks like, at the same size. */
function damaged(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  copy[100] = copy[100]! ^ 0xFF
  return copy
}

/** Lets real file operations in flight finish: a few rounds of the event loop (setImmediate is not faked). */
async function realIo(): Promise<void> {
  for (let i = 0; i < 50; i++)
    await new Promise(resolve => setImmediate(resolve))
}
/** Waits, on the real clock, until `done` holds; fails after 5 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error('not done within 5 s')
    await new Promise(resolve => setImmediate(resolve))
  }
}

let reads: string[] = []
function onRead(message: unknown) { reads.push((message as { path: string }).path) }
beforeEach(() => {
  reads = []
  subscribe(STORE_READ_CHANNEL, onRead)
})
afterEach(() => { unsubscribe(STORE_READ_CHANNEL, onRead) })

const fingerprintOf = (stats: BigIntStats) => `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}`

/** Writes the index of p's store as another process would have. */
function writeIndex(p: Project, files: Record<string, { stat: string, sha256: string }>): void {
  mkdirSync(join(p.index, '..'), { recursive: true })
  writeFileSync(p.index, JSON.stringify({ version: 1, store: p.owner.store, files }))
}

/** Saves what this process recorded, as the end of a burst of checks does. */
const save = (p: Project) => verifiedIndexOf(cacheDirOf(p.owner), p.owner.store).save()
/** What another process would find in the index: a new reader of the file. */
const seenByAnotherProcess = (p: Project) => openVerifiedIndex(p.index, p.owner.store).lookup(FILE, statSync(p.path, { bigint: true }))

describe('the verified index', () => {
  // Files younger than the racy window are never recorded: make them all now, and let them age once.
  const projects: Project[] = []
  const aged = () => projects.shift()!
  beforeAll(async () => {
    for (let i = 0; i < 8; i++)
      projects.push(project())
    await new Promise(resolve => setTimeout(resolve, RACY_MS + 200))
  }, RACY_MS + 10_000)

  it('a file checked once is trusted by the next check, and by another process, without being read', async () => {
    const p = aged()
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(reads).toEqual([p.path])
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(reads).toHaveLength(1)
    await save(p)
    expect(await seenByAnotherProcess(p)).toBe(p.hash)
    // The index is in the cache folder, not in the committed store.
    expect(p.index.startsWith(join(p.owner.store, '..', 'node_modules', '.cache', 'ai-assets'))).toBe(true)
  })

  it('a changed size, mtime or inode makes the file be read and hashed again, and catches the damage', async () => {
    const p = aged()
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    const { atime, mtime } = statSync(p.path)

    // Size: a truncated file.
    writeFileSync(p.path, p.bytes.subarray(0, 1000))
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(false)
    // mtime alone (same bytes): read again, still intact.
    writeFileSync(p.path, p.bytes)
    utimesSync(p.path, atime, new Date(mtime.getTime() - 60_000))
    reads = []
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(reads).toEqual([p.path])
    // Inode: replaced by rename with damaged bytes of the same size and the same mtime.
    const twin = `${p.path}.twin`
    writeFileSync(twin, damaged(p.bytes))
    utimesSync(twin, atime, new Date(mtime.getTime() - 60_000))
    renameSync(twin, p.path)
    reads = []
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(false)
    expect(reads).toEqual([p.path])
  })

  it('a file edited in place with its size and mtime restored is caught by a warm check (ctime), a full check and a fresh checkout', async () => {
    const p = aged()
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    await save(p)
    const before = statSync(p.path, { bigint: true })
    writeFileSync(p.path, damaged(p.bytes))
    utimesSync(p.path, Number(before.atimeNs / 1_000_000_000n), Number(before.mtimeNs / 1_000_000_000n))
    const after = statSync(p.path, { bigint: true })
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino])
    expect(after.ctimeNs).not.toBe(before.ctimeNs)

    // Warm (the index, in this process and in another): the ctime moved, so it is read again.
    expect(await seenByAnotherProcess(p)).toBeUndefined()
    reads = []
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(false)
    expect(reads).toEqual([p.path])
    // `status --check`: always hashed.
    expect(await isIntact(p.owner, FILE, p.hash, 'full')).toBe(false)
    // A fresh checkout: the same store elsewhere, no cache folder, so no index.
    const checkout = copyFixture('empty')
    cpSync(p.owner.store, join(checkout, 'ai-assets'), { recursive: true })
    expect(existsSync(join(checkout, 'node_modules'))).toBe(false)
    reads = []
    expect(await isIntact({ store: join(checkout, 'ai-assets'), file: join(checkout, 'assets.config.ts') }, FILE, p.hash)).toBe(false)
    expect(reads).toEqual([join(checkout, 'ai-assets', FILE)])
  })

  it('a full check hashes a file the index vouches for; no entry is trusted for another sha256 than the expected one', async () => {
    const p = aged()
    // An index that vouches for damaged bytes (as if a filesystem kept the ctime of an edit): only a full check catches it.
    writeFileSync(p.path, damaged(p.bytes))
    const stats = statSync(p.path, { bigint: true })
    writeIndex(p, { [FILE]: { stat: fingerprintOf(stats), sha256: p.hash } })
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(reads).toEqual([])
    // The entry records p.hash: a lockfile expecting other bytes gets no "intact" from it, only from the bytes.
    expect(await isIntact(p.owner, FILE, sha256(damaged(p.bytes)))).toBe(true)
    expect(reads).toEqual([p.path])
    reads = []
    expect(await isIntact(p.owner, FILE, p.hash, 'full')).toBe(false)
    expect(reads).toEqual([p.path])
  })

  it('a damaged index, or one of another store, is ignored and rebuilt', async () => {
    const otherStore = (p: Project) => JSON.stringify({ version: 1, store: '/elsewhere', files: { [FILE]: { stat: fingerprintOf(statSync(p.path, { bigint: true })), sha256: p.hash } } })
    for (const content of [() => '{"version":1,"store":', () => 'null', otherStore]) {
      const p = aged()
      mkdirSync(join(p.index, '..'), { recursive: true })
      // Another store's entry for a file of the same name and fingerprint is not this store's.
      writeFileSync(p.index, content(p))
      reads = []
      expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
      expect(reads).toEqual([p.path])
      await save(p)
      expect(JSON.parse(readFileSync(p.index, 'utf8')).store).toBe(p.owner.store)
      expect(await seenByAnotherProcess(p)).toBe(p.hash)
    }
  })

  it('a long burst of checks is saved once a second, not on every pause of 50 ms, and its end 50 ms after its last check', async () => {
    const p = aged()
    const stats = statSync(p.path, { bigint: true })
    // Timers and their clock are fake, so that the checks are 20 ms apart however loaded the machine; the writes are real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const index = openVerifiedIndex(p.index, p.owner.store)
      await index.load()
      const saved = () => existsSync(p.index) ? Object.keys(JSON.parse(readFileSync(p.index, 'utf8')).files).length : 0
      const check = async (i: number) => {
        index.record(`f${i}.0123456789ab.png`, stats, Date.now(), p.hash)
        await vi.advanceTimersByTimeAsync(20)
      }
      for (let i = 0; i < 45; i++)
        await check(i)
      // 900 ms of checks: not saved yet.
      await realIo()
      expect(saved()).toBe(0)
      for (let i = 45; i < 60; i++)
        await check(i)
      // The first entry waited 1 s: what was recorded by then is saved, while the checks go on.
      await until(() => saved() > 0)
      expect(saved()).toBeGreaterThanOrEqual(50)
      expect(saved()).toBeLessThan(60)
      // The burst is over: the rest is saved 50 ms after the last check (20 ms have passed since).
      await vi.advanceTimersByTimeAsync(25)
      await realIo()
      expect(saved()).toBeLessThan(60)
      await vi.advanceTimersByTimeAsync(10)
      await until(() => saved() === 60)
    }
    finally {
      vi.useRealTimers()
    }
  })

  it('a file younger than the racy window is hashed but not recorded: it is hashed again next time', async () => {
    const p = project()
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(await isIntact(p.owner, FILE, p.hash)).toBe(true)
    expect(reads).toEqual([p.path, p.path])
    await save(p)
    expect(await seenByAnotherProcess(p)).toBeUndefined()
  })
})
