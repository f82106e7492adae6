/**
 * `ai-assets prune [--dry-run]`: removes store files that the lockfile no
 * longer references (old originals, unpicked variants of removed assets,
 * temp files left by a killed run). It keeps the lockfile, every file an
 * entry or one of its variants references, the image of a stopped run that an
 * asset can still adopt, the `.locks/` folder and files it did not write
 * (dotfiles such as `.gitattributes`, a README…).
 */
import type { CommandContext, GlobalFlags } from './context'
import { readdir, rm, stat } from 'node:fs/promises'
import type { LockEntry } from '../core/lockfile'
import { join, relative } from 'node:path'
import { loadAssetsConfig } from '../config/load'
import { listJournals, removeJournal } from '../core/journal'
import { LOCKFILE_NAME, readLockfile } from '../core/lockfile'
import { ensureLocksDir, heldLocks, locksDir, LOCKS_DIR, withLock } from '../core/store-lock'
import { loadOptions } from './context'
import { EXIT_FAILURE, EXIT_OK } from './errors'

export interface PruneFlags extends GlobalFlags {
  dryRun?: boolean
}

/** `<name>.<12 hex>.<ext>`: an original the store wrote. */
const ORIGINAL = /^[a-z0-9_-]+\.[0-9a-f]{12}\.(?:png|jpg|webp|avif|gif|tiff)$/
/** write-file-atomic's temp name: the target name, a dot and a number. */
const TEMP = /\.\d+$/

export function isStoreFile(name: string): boolean {
  return ORIGINAL.test(name) || (TEMP.test(name) && (ORIGINAL.test(name.replace(TEMP, '')) || name.replace(TEMP, '') === LOCKFILE_NAME))
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      return []
    throw error
  })
  return entries
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort()
}

export async function pruneCommand(flags: PruneFlags, ctx: CommandContext): Promise<number> {
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const locks = locksDir(config.store)
  const where = relative(ctx.cwd, config.store) || '.'

  // A generation in flight holds its key's lock: its file is not referenced
  // yet, so prune refuses to run rather than delete it. Locks left by killed
  // runs do not count.
  const busy = (await heldLocks(locks)).filter(lock => lock.name !== 'lockfile')
  if (busy.length > 0) {
    const holders = [...new Set(busy.map(lock => `pid ${lock.owner.pid} on host ${lock.owner.host}`))].join(', ')
    ctx.reporter.warn(`A generation is running (${holders}, ${busy.length} lock${busy.length === 1 ? '' : 's'} in ${relative(ctx.cwd, locks)}): prune again when it is done.`)
    return EXIT_FAILURE
  }

  // Under the lockfile's lock, so that no run adds an entry while we decide.
  return withLock(await ensureLocksDir(config.store), 'lockfile', { label: 'the lockfile', warn: message => ctx.reporter.warn(message) }, async () => {
    const lock = await readLockfile(config.store)
    const referenced = new Set<string>([LOCKFILE_NAME])
    const entryFiles = (entry: LockEntry) => [entry.file, ...(entry.variants ?? []).map(variant => variant.file)]
    for (const entry of Object.values(lock))
      entryFiles(entry).forEach(file => referenced.add(file))
    // A stopped run's paid image is kept while an asset of the config can still adopt it.
    const keys = new Set([...config.assets.values()].map(asset => asset.key))
    const journals = await listJournals(config.store)
    for (const record of journals.filter(record => keys.has(record.key) && record.entry))
      entryFiles(record.entry!).forEach(file => referenced.add(file))
    const orphans = journals.filter(record => !keys.has(record.key))
    const files = (await listFiles(config.store)).filter(file => !file.startsWith(`${LOCKS_DIR}/`))
    const doomed = files.filter(file => !referenced.has(file) && isStoreFile(file.split('/').at(-1)!))
    const kept = files.length - doomed.length

    let bytes = 0
    for (const file of doomed) {
      const path = join(config.store, file)
      bytes += (await stat(path)).size
      if (!flags.dryRun)
        await rm(path, { force: true })
      ctx.reporter.line(`${flags.dryRun ? 'would remove' : 'removed'}  ${where}/${file}`)
    }
    if (!flags.dryRun) {
      await removeEmptyDirs(config.store)
      await Promise.all(orphans.map(record => removeJournal(config.store, record.key)))
    }
    const size = bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
    ctx.reporter.line(doomed.length === 0
      ? `Nothing to prune in ${where}/ (${kept} file${kept === 1 ? '' : 's'} kept).`
      : `${flags.dryRun ? 'Would remove' : 'Removed'} ${doomed.length} file${doomed.length === 1 ? '' : 's'} (${size}) from ${where}/; kept ${kept}.`)
    return EXIT_OK
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
