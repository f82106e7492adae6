/** readLockfile parses a lockfile once while its stat fingerprint is unchanged, and reads any change. */
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCKFILE_NAME, readLockfile, updateLockfile } from '../../src/core/lockfile'
import { RACY_MS } from '../../src/core/stat-fingerprint'
import { copyFixture } from '../helpers'

const entry = (sha: string) => ({ key: 'k', file: `hero.${sha.slice(0, 12)}.png`, sha256: sha, provider: 'p', model: 'm', width: 1, height: 1, createdAt: '2026-01-01T00:00:00.000Z' })

/** A store whose lockfile has one entry, its mtime in whole seconds a minute ago. */
function store(sha: string): string {
  const dir = join(copyFixture('empty'), 'ai-assets')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, LOCKFILE_NAME)
  writeFileSync(path, JSON.stringify({ hero: entry(sha) }))
  const minuteAgo = Math.floor(Date.now() / 1000) - 60
  utimesSync(path, minuteAgo, minuteAgo)
  return dir
}

describe('readLockfile', () => {
  it('parses an unchanged lockfile once, and reads it again after any change', async () => {
    const [aged, young] = [store('a'.repeat(64)), store('a'.repeat(64))]
    // The ctime of a file just written is within the racy window: let them age.
    await new Promise(resolve => setTimeout(resolve, RACY_MS + 200))

    const first = await readLockfile(aged)
    expect(await readLockfile(aged)).toBe(first)
    // Edited in place, same size, mtime put back: the ctime moved.
    const path = join(aged, LOCKFILE_NAME)
    const before = statSync(path, { bigint: true })
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('a'.repeat(64), 'b'.repeat(64)))
    utimesSync(path, Number(before.atimeNs / 1_000_000_000n), Number(before.mtimeNs / 1_000_000_000n))
    expect(statSync(path, { bigint: true }).mtimeNs).toBe(before.mtimeNs)
    const edited = await readLockfile(aged)
    expect(edited.hero!.sha256).toBe('b'.repeat(64))
    // Written by updateLockfile (renamed over): read again, and young, so read again each time.
    await updateLockfile(aged, (lock) => { lock.logo = entry('c'.repeat(64)) })
    const updated = await readLockfile(aged)
    expect(Object.keys(updated).sort()).toEqual(['hero', 'logo'])
    expect(await readLockfile(aged)).not.toBe(updated)
    // updateLockfile works on its own copy: what readLockfile gave is never changed under its callers.
    expect(Object.keys(edited)).toEqual(['hero'])

    // Young: never trusted by its fingerprint.
    writeFileSync(join(young, LOCKFILE_NAME), JSON.stringify({ hero: entry('d'.repeat(64)) }))
    expect(await readLockfile(young)).not.toBe(await readLockfile(young))
  })
})
