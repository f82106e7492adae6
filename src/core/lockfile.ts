/**
 * `<store>/ai-assets.lock.json`: asset name → what was generated for which key.
 * Pretty-printed with sorted keys so that diffs review well; every change is a
 * read-modify-write under a lock shared by all processes using the store.
 */
import type { RecordedInputs } from '../common/generation-key'
import { channel } from 'node:diagnostics_channel'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson } from '../common/canonical-json'
import { writeFileAtomic } from '../common/write-atomic'
import { isAssetKey } from './lock-keys'
import { checkEntryPaths } from './lockfile-paths'
import { isRacy, statFingerprint } from './stat-fingerprint'
import { ensureLocksDir, withLock } from './store-lock'

export const LOCKFILE_NAME = 'ai-assets.lock.json'

export interface LockEntry {
  key: string
  /** The chosen original, relative to the store. */
  file: string
  sha256: string
  provider: string
  model: string
  width: number
  height: number
  createdAt: string
  /** USD, when the provider reports it: every call that made the image (style creation, generation, vectorize, background removal). */
  cost?: number
  /** `cost` per kind of call, when more than generation was paid for. */
  costs?: { generate?: number, createStyle?: number, vectorize?: number, removeBackground?: number }
  /** The brand style the image was generated in (README: Brand styles). */
  styleId?: string
  /** Every candidate, when generated with `variants` > 1. */
  variants?: { file: string, sha256: string }[]
  /** Index into `variants` of the chosen one. */
  pick?: number
  /** The generation inputs the key was computed from (no credentials), so that `ai-assets status` can say which one changed. */
  inputs?: RecordedInputs
}

export type Lockfile = Record<string, LockEntry>

const checked = new Map<string, string>()
// The last parse of each lockfile, by its stat fingerprint: a build asks for the lockfile once per asset.
const parsed = new Map<string, { fingerprint: string, lock: Promise<Lockfile> }>()

/**
 * The lockfile of `store` ({} when there is none). Read-only: it is shared by
 * every caller until the file changes (its stat fingerprint), so that a build
 * of a thousand assets stats it a thousand times but reads and parses it
 * once.
 */
export async function readLockfile(store: string): Promise<Lockfile> {
  const path = join(store, LOCKFILE_NAME)
  const statedAt = Date.now()
  // Synchronous, as is the read: once per command or build, and through the thread pool they cost more than they take.
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false })
  if (!stats)
    return {}
  const fingerprint = statFingerprint(stats)
  const known = parsed.get(path)
  if (known?.fingerprint === fingerprint)
    return known.lock
  // Readers that arrive while it is being parsed share that parse: a cold build asks for it once per
  // asset, all at once, and each parse in flight held a copy of the whole lockfile (600 KB of JSON at
  // 1000 assets), so that its memory grew with the square of the assets.
  const lock = parseLockfile(store, path)
  parsed.set(path, { fingerprint, lock })
  const forget = () => {
    if (parsed.get(path)?.lock === lock)
      parsed.delete(path)
  }
  // A lockfile written within the racy window could change again unseen (stat-fingerprint.ts): read it again next time.
  lock.then(() => isRacy(stats, statedAt) && forget(), forget)
  return lock
}

/** Reads and parses the lockfile, and checks its entries' paths; a new object that the caller may change. */
async function parseLockfile(store: string, path: string): Promise<Lockfile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return {}
    throw error
  }
  let lock: Lockfile
  try {
    lock = JSON.parse(text) as Lockfile
  }
  catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}). Resolve the merge conflict or restore it from git.`)
  }
  // Before anything reads a file it names: a lockfile from a pull request must not reach outside the store.
  // Checked once per version of its text, even when it is parsed again.
  if (checked.get(path) !== text) {
    await checkEntryPaths(store, path, lock)
    checked.set(path, text)
  }
  return lock
}

interface PendingChange {
  change: (lock: Lockfile) => void
  resolve: (lock: Lockfile) => void
  reject: (error: unknown) => void
}

const batches = new Map<string, PendingChange[]>()

/**
 * Every write of a lockfile is announced on this diagnostics channel (free
 * when nobody listens) with the number of changes it records, so that a test
 * or a profiler can see how generations that finish together share a write.
 */
export const LOCKFILE_WRITE_CHANNEL = 'unplugin-ai-assets:lockfile-write'
const lockfileWrite = channel(LOCKFILE_WRITE_CHANNEL)

/**
 * Applies `change` to the current lockfile and writes it atomically, holding
 * the store's lock on it so that two processes never lose each other's entries.
 * Changes that arrive while a write waits or runs are applied together by the
 * next one: when many assets finish at once, the lockfile is written a few
 * times rather than once per asset.
 */
export function updateLockfile(store: string, change: (lock: Lockfile) => void, warn?: (message: string) => void): Promise<Lockfile> {
  const path = join(store, LOCKFILE_NAME)
  return new Promise((resolve, reject) => {
    let batch = batches.get(path)
    if (!batch) {
      const created: PendingChange[] = batch = []
      batches.set(path, created)
      void ensureLocksDir(store)
        .then(dir => withLock(dir, 'lockfile', { label: `the lockfile ${path}`, warn }, () => writeBatch(store, path)))
        .catch(error => rejectBatch(path, created, error))
    }
    batch.push({ change, resolve, reject })
  })
}

/**
 * This batch's lock failed: its changes fail (those already written stay
 * resolved), and the next batch, queued meanwhile, is left to its own write.
 */
function rejectBatch(path: string, batch: PendingChange[], error: unknown): void {
  if (batches.get(path) === batch)
    batches.delete(path)
  batch.forEach(pending => pending.reject(error))
}

async function writeBatch(store: string, path: string): Promise<void> {
  // Everything queued until now, including what arrived while we waited for the lock.
  const batch = batches.get(path) ?? []
  batches.delete(path)
  try {
    // Its own copy, read under the lock: the latest, and not the one readLockfile shares.
    const lock = await parseLockfile(store, path)
    for (const { change } of batch)
      change(lock)
    // fsync kept (write-file-atomic's default): a caller removes the asset's journal once this resolves, so
    // the entry must survive a power cut before the journal that would let the next run adopt it is gone.
    // The store's folder exists: ensureLocksDir made `.locks/` in it.
    const text = `${canonicalJson(lock, 2)}\n`
    await writeFileAtomic(path, text)
    // Its paths were checked when it was read, and the changes are ours: the next batch need not list the store again.
    checked.set(path, text)
    if (lockfileWrite.hasSubscribers)
      lockfileWrite.publish({ path, changes: batch.length })
    batch.forEach(pending => pending.resolve(lock))
  }
  catch (error) {
    batch.forEach(pending => pending.reject(error))
  }
}

/** The images a lock entry names: the chosen one, and each variant when there are several. */
export function entryImages(entry: LockEntry): { file: string, sha256: string }[] {
  return [entry, ...(entry.variants ?? [])]
}

/** Every image the lockfile's assets name (brand styles name none: theirs live at the provider). */
export function lockedImages(lock: Lockfile): { file: string, sha256: string }[] {
  return Object.entries(lock).filter(([name]) => isAssetKey(name)).flatMap(([, entry]) => entryImages(entry))
}
