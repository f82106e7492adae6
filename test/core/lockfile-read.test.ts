/**
 * A cold build asks for the lockfile once per asset, all at once: readers
 * that arrive while it is being parsed share that one parse (what a change
 * does to the shared parse: lockfile-cache.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCKFILE_NAME, readLockfile } from '../../src/core/lockfile'
import { copyFixture } from '../helpers'

const entry = (sha: string) => ({ key: 'k', file: 'hero.png', sha256: sha, provider: 'p', model: 'm', width: 1, height: 1, createdAt: '2026-01-01T00:00:00.000Z' })

describe('reading the lockfile', () => {
  it('shares one parse among readers that arrive together, even for a lockfile just written', async () => {
    const store = join(copyFixture('empty'), 'ai-assets')
    mkdirSync(store, { recursive: true })
    writeFileSync(join(store, LOCKFILE_NAME), `${JSON.stringify({ hero: entry('a'.repeat(64)) }, null, 2)}\n`)
    const readers = await Promise.all(Array.from({ length: 50 }, () => readLockfile(store)))
    expect(new Set(readers).size).toBe(1)
    expect(readers[0]!.hero!.sha256).toBe('a'.repeat(64))
  })
})
