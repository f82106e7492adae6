/**
 * A build reads the lockfile once per asset: it is parsed once per version on
 * disk and shared, frozen, until the file changes, however it changes.
 */
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCKFILE_NAME, readLockfile, updateLockfile } from '../../src/core/lockfile'
import { copyFixture } from '../helpers'

const entry = (sha: string) => ({ key: 'k', file: 'hero.png', sha256: sha, provider: 'p', model: 'm', width: 1, height: 1, createdAt: '2026-01-01T00:00:00.000Z' })

describe('reading the lockfile', () => {
  it('shares one parse while the file is unchanged, and reads it anew after a write or an edit in place', async () => {
    const store = join(copyFixture('empty'), 'ai-assets')
    mkdirSync(store, { recursive: true })
    const path = join(store, LOCKFILE_NAME)
    writeFileSync(path, `${JSON.stringify({ hero: entry('a'.repeat(64)) }, null, 2)}\n`)

    const [first, second] = await Promise.all([readLockfile(store), readLockfile(store)])
    expect(second).toBe(first)
    expect(Object.isFrozen(first) && Object.isFrozen(first.hero)).toBe(true)

    await updateLockfile(store, (lock) => { lock.logo = entry('b'.repeat(64)) })
    const written = await readLockfile(store)
    expect(Object.keys(written).sort()).toEqual(['hero', 'logo'])
    // The earlier readers' copy is untouched: a change applies to a fresh parse.
    expect(Object.keys(first)).toEqual(['hero'])

    // Same size, same mtime: an edit in place is still seen (its ctime changed).
    const { mtime, atime } = statSync(path)
    writeFileSync(path, readFileSync(path, 'utf8').replace('a'.repeat(64), 'c'.repeat(64)))
    utimesSync(path, atime, mtime)
    expect((await readLockfile(store)).hero!.sha256).toBe('c'.repeat(64))
  })
})
