/**
 * `<store>/ai-assets.lock.json`: asset name → what was generated for which key.
 * Pretty-printed with sorted keys so that diffs review well; every change is a
 * read-modify-write under a lock shared by all processes using the store.
 */
import type { RecordedInputs } from '../shared/generation-key'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import lockfile from 'proper-lockfile'
import writeFileAtomic from 'write-file-atomic'
import { canonicalJson } from '../shared/canonical-json'

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
  /** USD, when the provider reports it. */
  cost?: number
  /** Every candidate, when generated with `variants` > 1. */
  variants?: { file: string, sha256: string }[]
  /** Index into `variants` of the chosen one. */
  pick?: number
  /** The generation inputs the key was computed from (no credentials), so that `ai-assets status` can say which one changed. */
  inputs?: RecordedInputs
}

export type Lockfile = Record<string, LockEntry>

export async function readLockfile(store: string): Promise<Lockfile> {
  const path = join(store, LOCKFILE_NAME)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return {}
    throw error
  }
  try {
    return JSON.parse(text) as Lockfile
  }
  catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}). Resolve the merge conflict or restore it from git.`)
  }
}

/**
 * Applies `change` to the current lockfile and writes it atomically, holding
 * a lock (in `lockDir`) so that two processes never lose each other's entries.
 * Changes that arrive while a write waits or runs are applied together by the
 * next one: when many assets finish at once, the lockfile is written a few
 * times rather than once per asset.
 */
export function updateLockfile(store: string, lockDir: string, change: (lock: Lockfile) => void): Promise<Lockfile> {
  const path = join(store, LOCKFILE_NAME)
  return new Promise((resolve, reject) => {
    let batch = batches.get(path)
    if (!batch) {
      batch = []
      batches.set(path, batch)
      void withLock(join(lockDir, 'lockfile'), () => writeBatch(store, path))
    }
    batch.push({ change, resolve, reject })
  })
}

interface PendingChange {
  change: (lock: Lockfile) => void
  resolve: (lock: Lockfile) => void
  reject: (error: unknown) => void
}

const batches = new Map<string, PendingChange[]>()

async function writeBatch(store: string, path: string): Promise<void> {
  // Everything queued until now, including what arrived while we waited for the lock.
  const batch = batches.get(path) ?? []
  batches.delete(path)
  try {
    const lock = await readLockfile(store)
    for (const { change } of batch)
      change(lock)
    await mkdir(store, { recursive: true })
    await writeFileAtomic(path, `${canonicalJson(lock, 2)}\n`)
    batch.forEach(pending => pending.resolve(lock))
  }
  catch (error) {
    batch.forEach(pending => pending.reject(error))
  }
}

// Callers in this process queue here, one after another, so that only other
// processes ever wait in proper-lockfile's retry backoff (which, with many
// assets finishing at once, left the last ones waiting for seconds).
const queues = new Map<string, Promise<unknown>>()

/** Runs `task` while holding a cross-process lock named by `path`. */
export function withLock<T>(path: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(path) ?? Promise.resolve()).catch(() => {}).then(() => withFileLock(path, task))
  queues.set(path, run)
  void run.catch(() => {}).finally(() => {
    if (queues.get(path) === run)
      queues.delete(path)
  })
  return run
}

async function withFileLock<T>(path: string, task: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true })
  const release = await lockfile.lock(path, {
    realpath: false,
    lockfilePath: `${path}.lock`,
    stale: 30_000,
    // A generation can take minutes: wait for the other process rather than fail.
    retries: { retries: 10_000, minTimeout: 50, maxTimeout: 1000, factor: 1.5 },
  })
  try {
    return await task()
  }
  finally {
    await release()
  }
}
