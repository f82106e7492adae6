/**
 * The verified index, in the manner of git's index: for each store file, the
 * stat fingerprint it had (stat-fingerprint.ts) when its bytes were last
 * hashed, and the sha256 they had. A file whose
 * fingerprint is unchanged is trusted without being read, so a warm build
 * stats each original instead of hashing it (README "How much checking
 * costs").
 *
 * It lives in the project's cache folder, never in the committed store: a
 * fresh checkout (CI) has no index, and even an index restored from a CI
 * cache matches nothing there (new inodes and ctimes), so every original a
 * fresh checkout uses is hashed. One file per store, named by the store's
 * path and recording it, so that two stores never mix.
 *
 * Several processes (parallel builds, the CLI) share it. Writes are atomic
 * and merge with what is on disk; a lost update only costs a hash later,
 * because an entry is trusted only when the whole fingerprint matches and
 * its sha256 is the one the lockfile expects. A damaged index is ignored and
 * rebuilt.
 */
import type { BigIntStats } from 'node:fs'
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BurstTimer } from '../common/burst-timer'
import { sha256 } from '../common/hash'
import { writeFileAtomic } from '../common/write-atomic'
import { isRacy, statFingerprint } from './stat-fingerprint'

/** Bumped when the layout changes: an index of another version is ignored. */
const VERSION = 1

interface IndexEntry {
  /** `size:mtimeNs:ctimeNs:ino:dev`. */
  stat: string
  sha256: string
}

interface IndexFile {
  version: number
  store: string
  files: Record<string, IndexEntry>
}

export interface VerifiedIndex {
  /** The sha256 the file was verified against, when it has not changed since (by its fingerprint). */
  lookup: (file: string, stats: BigIntStats) => Promise<string | undefined>
  /** Reads the index, once: what `lookupLoaded` needs. */
  load: () => Promise<void>
  /** `lookup` without waiting, once `load` has resolved: a batch of checks waits once, not once per file. */
  lookupLoaded: (file: string, stats: BigIntStats) => string | undefined
  /**
   * Records that the file, as `stats` describes it (stat'ed at `statedAt`, ms
   * since the epoch, before it was read), hashed to `sha256`, unless it is
   * racy. Saved in a batch, shortly after. There is nothing to forget: an
   * entry whose fingerprint no longer matches is never trusted.
   */
  record: (file: string, stats: BigIntStats, statedAt: number, sha256: string) => void
  /** Writes what was recorded since the last save (merged with the file on disk). */
  save: () => Promise<void>
}

/** Where the index of `store` lives in the cache folder `cacheDir`. */
export function verifiedIndexPath(cacheDir: string, store: string): string {
  return join(cacheDir, 'verified', `${sha256(store).slice(0, 16)}.json`)
}

/**
 * The entries on disk for this store; none when the file is missing, damaged,
 * of another version or of another store. Read synchronously: it is read once
 * per process (and once per save), and a read through the thread pool costs
 * more than it saves.
 */
async function readIndex(path: string, store: string): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>()
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as IndexFile
    if (parsed?.version !== VERSION || parsed.store !== store || typeof parsed.files !== 'object' || parsed.files === null)
      return entries
    for (const file of Object.keys(parsed.files)) {
      const entry = parsed.files[file]
      if (typeof entry?.stat === 'string' && typeof entry.sha256 === 'string')
        entries.set(file, entry)
    }
  }
  catch {}
  return entries
}

/** Recorded entries are saved once no other has come for this long: a burst of checks makes one write… */
const SAVE_DELAY_MS = 50
/** …or once the first of them has waited this long: a long burst (a fresh checkout of a thousand assets) writes once a second, not every 50 ms. */
const LONGEST_SAVE_DELAY_MS = 1000

/**
 * The index of `store` at `path`, read once, on first lookup. Recorded
 * entries are saved together once the burst of checks is over (a timer that
 * keeps the process alive until then, 50 ms after the last), at least once a
 * second during a long one (each save rewrites the whole index), or by
 * `save()`.
 */
export function openVerifiedIndex(path: string, store: string): VerifiedIndex {
  let loaded: Promise<Map<string, IndexEntry>> | undefined
  // The entries once read, for lookupLoaded.
  let files: Map<string, IndexEntry> | undefined
  const load = () => (loaded ??= readIndex(path, store).then(read => files = read))
  const vouched = (entry: IndexEntry | undefined, stats: BigIntStats) => entry?.stat === statFingerprint(stats) ? entry.sha256 : undefined
  // What this process learnt since the last save.
  const pending = new Map<string, IndexEntry>()
  let saving: Promise<void> = Promise.resolve()

  const write = async () => {
    if (pending.size === 0)
      return
    const changes = [...pending]
    pending.clear()
    try {
      // Merge into what other processes saved meanwhile: their entries are as good as ours.
      const files = await readIndex(path, store)
      for (const [file, entry] of changes)
        files.set(file, entry)
      await mkdir(dirname(path), { recursive: true })
      await writeFileAtomic(path, JSON.stringify({ version: VERSION, store, files: Object.fromEntries(files) } satisfies IndexFile))
    }
    catch {
      // A cache folder that cannot be written (read-only, full): files are hashed again next time, nothing worse.
    }
  }
  // Fires save() once a burst of records is over.
  const burst = new BurstTimer(SAVE_DELAY_MS, LONGEST_SAVE_DELAY_MS, () => void save())
  function save() {
    burst.cancel()
    saving = saving.then(write)
    return saving
  }

  return {
    async lookup(file, stats) {
      return vouched((await load()).get(file), stats)
    },
    async load() {
      await load()
    },
    lookupLoaded(file, stats) {
      if (!files)
        throw new Error('The verified index was looked up before it was loaded')
      return vouched(files.get(file), stats)
    },
    record(file, stats, statedAt, hash) {
      if (isRacy(stats, statedAt))
        return
      const entry = { stat: statFingerprint(stats), sha256: hash }
      // Kept in memory too (after the first read, which it must not be lost to): the rest of this process trusts it.
      void load().then(files => files.set(file, entry))
      pending.set(file, entry)
      burst.touch()
    },
    save,
  }
}

// One index per store and cache folder in this process, by both paths: asked for once per store file,
// so the index's own path (a hash of the store's) is worked out only when it is first opened.
const opened = new Map<string, VerifiedIndex>()

/** The index of `store` in the cache folder `cacheDir`, shared by everything in this process. */
export function verifiedIndexOf(cacheDir: string, store: string): VerifiedIndex {
  const key = `${cacheDir}\0${store}`
  let index = opened.get(key)
  if (!index) {
    index = openVerifiedIndex(verifiedIndexPath(cacheDir, store), store)
    opened.set(key, index)
  }
  return index
}
