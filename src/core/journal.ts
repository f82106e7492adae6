/**
 * The journal of paid generations, one file per key in `<store>/.locks/`:
 * written before the provider is called, completed with the lock entry (file
 * names and sha256) once the bytes are named and before they are written,
 * removed once the lockfile has the entry. A run killed in between leaves it
 * behind, and the next run that needs that key, holding the key's lock,
 * adopts the stored image instead of paying for it again, or says that the
 * stopped call may have been billed.
 */
import type { LockEntry, Lockfile } from './lockfile'
import { rmSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { writeNewFileSync } from '../common/write-new-file'
import { unsafeStorePath } from './lockfile-paths'
import { isAlive, locksDir } from './store-lock'

export interface JournalRecord {
  key: string
  /** The asset it was generated for. */
  asset: string
  pid: number
  host: string
  /** ISO date the provider call started. */
  started: string
  /** Set once the provider answered: the entry the lockfile is about to get. */
  entry?: LockEntry
}

const SUFFIX = '.journal.json'

function journalPath(store: string, key: string): string {
  return join(locksDir(store), `${key}${SUFFIX}`)
}

/**
 * Records that a paid call for `key` is about to start. Called holding the
 * key's lock, so `.locks/` is there. One plain, synchronous write of a few
 * hundred bytes, as the request waits for it: through libuv's thread pool it
 * would queue behind the image decodes and store writes of the generations
 * that just ended. Not atomic, and need not be: a run killed while writing it
 * had not sent the request yet, and a torn journal reads as none.
 */
export function startJournal(store: string, key: string, asset: string): JournalRecord {
  const record: JournalRecord = { key, asset, pid: process.pid, host: hostname(), started: new Date().toISOString() }
  writeFileSync(journalPath(store, key), `${JSON.stringify(record, null, 2)}\n`)
  return record
}

/**
 * Records what the call produced, before its files are written. Atomic (a
 * torn journal would lose the names). Not flushed: what the journal guards
 * against is a run killed (Ctrl-C, kill -9, a CI timeout), after which the
 * kernel still writes it out; only a power cut in the moment before the
 * lockfile records the entry could lose it, and then the next run pays again
 * rather than adopting. Synchronous, as is `removeJournal`: a few hundred
 * bytes, which through libuv's four threads waited behind the image decodes
 * of the generations that answered together (measured: 20 ms).
 */
export async function completeJournal(store: string, record: JournalRecord, entry: LockEntry): Promise<void> {
  writeNewFileSync(journalPath(store, record.key), `${JSON.stringify({ ...record, entry }, null, 2)}\n`)
}

export async function removeJournal(store: string, key: string): Promise<void> {
  rmSync(journalPath(store, key), { force: true })
}

/** The journal of `key`, if a run left one; undefined when there is none or it is unreadable. */
export async function readJournal(store: string, key: string): Promise<JournalRecord | undefined> {
  let record: JournalRecord
  try {
    record = JSON.parse(await readFile(journalPath(store, key), 'utf8')) as JournalRecord
  }
  catch {
    return undefined
  }
  // Its files will be read: the same rule as the lockfile's.
  const files = record.entry ? [record.entry.file, ...(record.entry.variants ?? []).map(variant => variant.file)] : []
  if (record.key !== key || files.some(file => unsafeStorePath(file)))
    return { key, asset: String(record.asset), pid: Number(record.pid), host: String(record.host), started: String(record.started) }
  return record
}

/** Every journal of the store. */
export async function listJournals(store: string): Promise<JournalRecord[]> {
  const names = (await readdir(locksDir(store)).catch(() => [] as string[])).filter(name => name.endsWith(SUFFIX))
  const records = await Promise.all(names.map(name => readJournal(store, name.slice(0, -SUFFIX.length))))
  return records.filter(record => record !== undefined)
}

/**
 * Drops the journals a killed run left for keys the lockfile now records (it
 * was killed after recording, or another run generated the key since), so
 * that they do not pile up. A journal whose image is not recorded stays, for
 * the run that adopts it.
 */
export async function sweepJournals(store: string, lock: Lockfile, warn: (message: string) => void): Promise<void> {
  const recorded = new Set(Object.values(lock).map(entry => `${entry.key}:${entry.sha256}`))
  const keys = new Set(Object.values(lock).map(entry => entry.key))
  for (const record of await listJournals(store)) {
    const mine = record.host === hostname() && record.pid === process.pid
    if (record.entry && recorded.has(`${record.key}:${record.entry.sha256}`)) {
      await removeJournal(store, record.key)
    }
    else if (!record.entry && keys.has(record.key) && !mine && record.host === hostname() && !isAlive(record.pid)) {
      warn(`"${record.asset}": a run (pid ${record.pid}, started ${record.started}) was stopped while generating it; that call may have been billed, but nothing of it was stored.`)
      await removeJournal(store, record.key)
    }
  }
}
