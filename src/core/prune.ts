/**
 * Pruning the store: removing the files the store wrote that nothing needs
 * any more (old originals, variants of removed assets, temp files left by a
 * killed run). It keeps the lockfile, every file an entry or one of its
 * variants references, the image of a stopped run that an asset of the config
 * can still adopt, the `.locks/` folder and every file the store did not write
 * (dotfiles such as `.gitattributes`, a README…).
 */
import type { ResolvedConfig } from '../config/resolve'
import type { LockOwner } from './store-lock'
import { readdir, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { listJournals, removeJournal } from './journal'
import { entryImages, lockedImages, LOCKFILE_NAME, readLockfile } from './lockfile'
import { listedPath } from './lockfile-paths'
import { isStoreFile } from './store'
import { ensureLocksDir, heldLocks, LOCKS_DIR, locksDir, withLock } from './store-lock'

export type PruneResult
  /** A generation is running: its file is not referenced yet, so nothing was touched. */
  = | { busy: true, holders: LockOwner[], locks: string }
  /** Store files (relative to the store) removed, or that would be with `dryRun`; how many files stay. */
    | { busy: false, removed: string[], bytes: number, kept: number }

async function listFiles(dir: string): Promise<string[]> {
  const base = resolve(dir)
  const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      return []
    throw error
  })
  return entries
    .filter(entry => entry.isFile())
    .map(entry => listedPath(base, entry))
    .sort()
}

export async function pruneStore(config: ResolvedConfig, options: { dryRun?: boolean, warn?: (message: string) => void } = {}): Promise<PruneResult> {
  const locks = locksDir(config.store)
  // Locks left by killed runs do not count.
  const busy = (await heldLocks(locks)).filter(lock => lock.name !== 'lockfile')
  if (busy.length > 0)
    return { busy: true, holders: busy.map(lock => lock.owner), locks }

  // Under the lockfile's lock, so that no run adds an entry while we decide.
  return withLock(await ensureLocksDir(config.store), 'lockfile', { label: 'the lockfile', warn: options.warn }, async () => {
    const lock = await readLockfile(config.store)
    const referenced = new Set<string>([LOCKFILE_NAME])
    lockedImages(lock).forEach(image => referenced.add(image.file))
    // A stopped run's paid image is kept while an asset of the config can still adopt it.
    const keys = new Set([...config.assets.values()].map(asset => asset.key))
    const journals = await listJournals(config.store)
    for (const record of journals.filter(record => keys.has(record.key) && record.entry))
      entryImages(record.entry!).forEach(image => referenced.add(image.file))
    const orphans = journals.filter(record => !keys.has(record.key))
    const files = (await listFiles(config.store)).filter(file => !file.startsWith(`${LOCKS_DIR}/`))
    const removed = files.filter(file => !referenced.has(file) && isStoreFile(file.split('/').at(-1)!))

    let bytes = 0
    for (const file of removed) {
      const path = join(config.store, file)
      bytes += (await stat(path)).size
      if (!options.dryRun)
        await rm(path, { force: true })
    }
    if (!options.dryRun) {
      await removeEmptyDirs(config.store)
      await Promise.all(orphans.map(record => removeJournal(config.store, record.key)))
    }
    return { busy: false, removed, bytes, kept: files.length - removed.length }
  })
}

/** Folders of grouped names (`icons/`) left empty. */
async function removeEmptyDirs(dir: string, root = dir): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    if (entry.isDirectory())
      await removeEmptyDirs(join(dir, entry.name), root)
  }
  if (dir !== root && (await readdir(dir).catch(() => ['?'])).length === 0)
    await rm(dir, { recursive: true, force: true })
}
