/**
 * A lockfile's paths may not lead out of the store through a symlink, whether
 * the symlink is the file or a folder on its way. The store is listed once and
 * only paths through a symlink are resolved: these cases are what that listing
 * must not miss. Real files and symlinks in a scratch folder.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkEntryPaths } from '../../src/core/lockfile-paths'

function scratchStore() {
  const root = mkdtempSync(join(tmpdir(), 'ai-assets-paths-'))
  const store = join(root, 'store')
  mkdirSync(join(store, 'icons'), { recursive: true })
  mkdirSync(join(root, 'outside'))
  writeFileSync(join(root, 'outside', 'x.0123456789ab.png'), 'x')
  writeFileSync(join(store, 'icons', 'bolt.0123456789ab.png'), 'x')
  writeFileSync(join(store, 'hero.0123456789ab.png'), 'x')
  return { root, store }
}

const check = (store: string, lock: Record<string, { file: string }>) => checkEntryPaths(store, 'ai-assets.lock.json', lock)

describe('lockfile paths and symlinks', () => {
  it('accepts files and folders of the store, a symlink to another of its files, and a missing file', async () => {
    const { store } = scratchStore()
    symlinkSync('hero.0123456789ab.png', join(store, 'alias.0123456789ab.png'))
    await expect(check(store, {
      'hero': { file: 'hero.0123456789ab.png' },
      'icons/bolt': { file: 'icons/bolt.0123456789ab.png' },
      'alias': { file: 'alias.0123456789ab.png' },
      'gone': { file: 'gone.0123456789ab.png' },
    })).resolves.toBeUndefined()
  })

  it('refuses a folder that is a symlink out of the store, also when the store itself is reached through a symlink', async () => {
    const { root, store } = scratchStore()
    symlinkSync(join(root, 'outside'), join(store, 'evil'))
    const lock = { 'icons/bolt': { file: 'icons/bolt.0123456789ab.png' }, 'evil/x': { file: 'evil/x.0123456789ab.png' } }
    await expect(check(store, lock)).rejects.toThrow(/asset "evil\/x", field "file": "evil\/x\.0123456789ab\.png" is a symlink that leads out of the store/)
    symlinkSync(store, join(root, 'linked-store'))
    await expect(check(join(root, 'linked-store'), lock)).rejects.toThrow(/asset "evil\/x".*leads out of the store/)
    await expect(check(join(root, 'linked-store'), { 'icons/bolt': lock['icons/bolt'] })).resolves.toBeUndefined()
  })

  it('refuses a file that is a symlink out of the store', async () => {
    const { root, store } = scratchStore()
    symlinkSync(join(root, 'outside', 'x.0123456789ab.png'), join(store, 'logo.0123456789ab.png'))
    await expect(check(store, { logo: { file: 'logo.0123456789ab.png' } })).rejects.toThrow(/asset "logo".*symlink that leads out of the store \(to .*outside/)
  })
})
