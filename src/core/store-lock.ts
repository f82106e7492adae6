/**
 * Cross-process locks that live with the store, in `<store>/.locks/`, so that
 * every process using a store shares them, from whatever folder it runs.
 *
 * A lock is a folder, `<name>.lock/`, created atomically (a temp folder
 * renamed into place) with `owner.json` inside: the holder's pid, host and a
 * token. The holder refreshes `owner.json` every few seconds. A lock whose
 * holder died is taken over at once when the holder ran on this host (its pid
 * is no longer alive, or has been silent long enough to belong to another
 * process now); a holder on another host is waited for, with a message, and
 * its lock taken over once it has been silent for `STALE_MS`. Takeovers are serialized by proper-lockfile,
 * so that two waiters never both remove the same dead lock.
 *
 * Why not proper-lockfile alone: it only knows a lock's age, so a lock left by
 * a killed process blocks everyone, silently, for its whole stale time (30 s).
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** The git-ignored folder of a store that holds its locks and its generation journal. */
export const LOCKS_DIR = '.locks'

/** A holder on another host refreshes its lock this often… */
const HEARTBEAT_MS = 2_000
/** …and is presumed dead when it has not for this long. */
const STALE_MS = 10_000
/** On this host, a live pid whose lock is this silent is another process that got the dead holder's pid. */
const REUSED_PID_MS = 60_000
/** Waits longer than this are announced. */
const ANNOUNCE_AFTER_MS = 1_000

export interface LockOwner {
  pid: number
  host: string
  /** ISO date the lock was taken. */
  started: string
  token: string
}

export interface LockOptions {
  /** What the lock protects, for messages: `"hero"`, `the lockfile`. */
  label: string
  /** Where waits and takeovers are announced. */
  warn?: (message: string) => void
  /** Called once, when the lock is found held by someone else: the caller may let other work go ahead. */
  onWait?: () => void
}

export function locksDir(store: string): string {
  return join(store, LOCKS_DIR)
}

/** Creates `<store>/.locks/` with a `.gitignore` that keeps all of it out of git. */
export async function ensureLocksDir(store: string): Promise<string> {
  const dir = locksDir(store)
  // Made already (the .gitignore is written last): one stat, where a lockfile write would otherwise
  // wait for two round trips through libuv's thread pool, busy with image decodes.
  if (existsSync(join(dir, '.gitignore')))
    return dir
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, '.gitignore'), '# Locks and the journal of generations in flight: never commit.\n*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST')
      throw error
  })
  return dir
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const HOST = hostname()

export async function readOwner(lockPath: string): Promise<{ owner: LockOwner, refreshed: number } | undefined> {
  const file = join(lockPath, 'owner.json')
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)])
    return { owner: JSON.parse(text) as LockOwner, refreshed: info.mtimeMs }
  }
  catch {
    return undefined
  }
}

/** Whether the holder of a lock is certainly gone (dead on this host, or silent for too long on another). */
export function isAbandoned(found: { owner: LockOwner, refreshed: number } | undefined, now = Date.now()): boolean {
  if (!found)
    return true
  if (found.owner.host === HOST)
    return !isAlive(found.owner.pid) || now - found.refreshed > REUSED_PID_MS
  return now - found.refreshed > STALE_MS
}

/** Why the holder of an abandoned lock is presumed gone, in words. */
function silence(owner: LockOwner): string {
  if (owner.host !== HOST)
    return `has not refreshed it for ${STALE_MS / 1000} s`
  return isAlive(owner.pid) ? `has not refreshed it for ${REUSED_PID_MS / 1000} s (its pid now belongs to another process)` : 'is no longer running'
}

async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  const temp = `${lockPath}.${owner.token}.tmp`
  await mkdir(temp, { recursive: true })
  await writeFile(join(temp, 'owner.json'), JSON.stringify(owner))
  try {
    // Renaming onto an existing lock (never empty: it holds owner.json) fails.
    await rename(temp, lockPath)
    return true
  }
  catch (error) {
    await rm(temp, { recursive: true, force: true })
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM' || code === 'EACCES')
      return false
    throw error
  }
}

/**
 * Removes a lock folder. Moved out of the way first, in one atomic rename:
 * removing it in place would, for a moment, leave an empty folder that the
 * next holder's rename replaces, and we would then delete its owner.json.
 */
async function discard(lockPath: string, id: string): Promise<void> {
  const gone = `${lockPath}.${id}.gone`
  try {
    await rename(lockPath, gone)
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return
    throw error
  }
  await rm(gone, { recursive: true, force: true })
}

/** Removes the lock if, under the takeover guard, it still belongs to `token`. */
async function takeOver(lockPath: string, token: string | undefined): Promise<void> {
  // Loaded here only: it (with graceful-fs, which it patches fs with) costs every command that reads the store.
  const { default: lockfile } = await import('proper-lockfile')
  let release: (() => Promise<void>) | undefined
  try {
    release = await lockfile.lock(lockPath, { realpath: false, lockfilePath: `${lockPath}.takeover`, stale: 5_000, retries: { retries: 100, minTimeout: 20, maxTimeout: 200 } })
  }
  catch {
    return // Someone else is taking it over: wait for the outcome.
  }
  try {
    const now = await readOwner(lockPath)
    if (now?.owner.token === token && isAbandoned(now))
      await discard(lockPath, randomUUID())
  }
  finally {
    await release()
  }
}

/**
 * Waits for, and takes, the lock `<dir>/<name>.lock`; gives the function that
 * releases it. Never gives up while a live holder keeps it (a generation can
 * take minutes), but says who it is waiting for.
 */
export async function acquire(dir: string, name: string, options: LockOptions): Promise<() => Promise<void>> {
  const lockPath = join(dir, `${name}.lock`)
  const owner: LockOwner = { pid: process.pid, host: HOST, started: new Date().toISOString(), token: randomUUID() }
  const began = Date.now()
  let announced = false
  let delay = 25
  for (let tries = 0; ; tries++) {
    if (await tryCreate(lockPath, owner))
      break
    if (tries === 0)
      options.onWait?.()
    const found = await readOwner(lockPath)
    if (isAbandoned(found)) {
      // Read again after a moment: a lock being created is briefly without owner.json.
      if (found || Date.now() - began > 500) {
        if (found)
          options.warn?.(`taking over the lock on ${options.label} left by pid ${found.owner.pid} on host ${found.owner.host}, which ${silence(found.owner)}`)
        await takeOver(lockPath, found?.owner.token)
        continue
      }
    }
    else if (!announced && Date.now() - began > ANNOUNCE_AFTER_MS) {
      announced = true
      options.warn?.(`waiting for the lock on ${options.label} held by pid ${found!.owner.pid} on host ${found!.owner.host} (since ${found!.owner.started})…`)
    }
    await new Promise(resolve => setTimeout(resolve, delay))
    delay = Math.min(delay * 1.5, 250)
  }

  // Tell holders on other hosts that we are alive.
  const heartbeat = setInterval(() => {
    const now = new Date()
    void utimes(join(lockPath, 'owner.json'), now, now).catch(() => {})
  }, HEARTBEAT_MS)
  heartbeat.unref?.()
  return async () => {
    clearInterval(heartbeat)
    const current = await readOwner(lockPath)
    if (current?.owner.token === owner.token)
      await discard(lockPath, owner.token)
  }
}

/** The locks of `dir` whose holders are alive: generations in flight. */
export async function heldLocks(dir: string): Promise<{ name: string, owner: LockOwner }[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter(name => name.endsWith('.lock'))
  const held = []
  for (const name of names) {
    const found = await readOwner(join(dir, name))
    if (found && !isAbandoned(found))
      held.push({ name: name.slice(0, -'.lock'.length), owner: found.owner })
  }
  return held
}

// Callers in this process queue here, one after another, so that only other
// processes ever wait on the lock folder.
const queues = new Map<string, Promise<unknown>>()

/** Runs `task` while holding the lock `<dir>/<name>.lock`, shared with every other process. */
export function withLock<T>(dir: string, name: string, options: LockOptions, task: () => Promise<T>): Promise<T> {
  const id = join(dir, name)
  const run = (queues.get(id) ?? Promise.resolve()).catch(() => {}).then(async () => {
    const release = await acquire(dir, name, options)
    try {
      return await task()
    }
    finally {
      await release()
    }
  })
  queues.set(id, run)
  void run.catch(() => {}).finally(() => {
    if (queues.get(id) === run)
      queues.delete(id)
  })
  return run
}
