/**
 * A lockfile names store files (`file`, `variants[i].file`) that builds read
 * and emit. The lockfile is committed, so it may come from a pull request:
 * every such path must be one ai-assets could have written, a relative path
 * inside the store, and must not lead out of it through a symlink.
 */
import { readdirSync, realpathSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { isAssetKey } from './lock-keys'
import { LOCKS_DIR } from './store-lock'

/** A lock entry names a file outside the store, or something that is not a path. */
export class LockfileError extends Error {
  override name = 'LockfileError'
}

/** Why `file` is not a path inside the store, judged from its text alone; undefined when it is one. */
export function unsafeStorePath(file: unknown): string | undefined {
  if (typeof file !== 'string' || file === '')
    return 'is not a file name'
  if (file.includes('\\') || file.includes('\0'))
    return 'contains a backslash or a NUL character'
  if (file.startsWith('/') || /^[a-z]:/i.test(file))
    return 'is an absolute path'
  const segments = file.split('/')
  if (segments.some(segment => segment === '..' || segment === '.' || segment === ''))
    return 'leaves the store (`..`, `.` or an empty segment)'
  if (segments[0] === LOCKS_DIR)
    return `points into ${LOCKS_DIR}/, which holds locks, not images`
  return undefined
}

/**
 * Why a path inside the store (by its text) leads out of it through a symlink,
 * or undefined. Every command reads the lockfile, so one listing of the store
 * (which says what is a symlink without a system call per file) spares a
 * realpath per file: only a path through a symlink, or one the listing does
 * not have, is resolved.
 */
function symlinkCheck(store: string, storeReal: string): (file: string) => string | undefined {
  const inside = storeReal.endsWith(sep) ? storeReal : `${storeReal}${sep}`
  let symlinks: Map<string, boolean> | undefined
  const listing = (): Map<string, boolean> => symlinks ??= listStore(store)
  const resolved = (file: string): string | undefined => {
    let real: string
    try {
      real = realpathSync.native(join(store, file))
    }
    catch {
      return undefined // Missing (or a dangling link): reading it fails as a missing file.
    }
    // Both are real paths: inside the store is below it, by their text.
    return real.startsWith(inside) ? undefined : `is a symlink that leads out of the store (to ${real})`
  }
  return (file) => {
    // Most names have one segment: one lookup, no split.
    if (!file.includes('/'))
      return listing().get(file) === false ? undefined : resolved(file)
    let path = ''
    for (const segment of file.split('/')) {
      path = path === '' ? segment : `${path}/${segment}`
      const symlink = listing().get(path)
      if (symlink !== false)
        return resolved(file)
    }
    return undefined
  }
}

/** Every entry below the store, by its path with `/`, and whether it is a symlink; empty when the store cannot be listed. */
function listStore(store: string): Map<string, boolean> {
  const entries = new Map<string, boolean>()
  const base = resolve(store)
  try {
    // Recursive listing does not descend into a symlinked folder: paths through one are not listed, so they are resolved.
    for (const entry of readdirSync(base, { withFileTypes: true, recursive: true }))
      entries.set(listedPath(base, entry), entry.isSymbolicLink())
  }
  catch {}
  return entries
}

/**
 * The path, relative to `base` and with `/`, of an entry of a recursive
 * listing of `base` (exactly as given to readdir): what a lockfile names. By
 * its text, since `path.relative` per file cost as much as listing the store.
 */
export function listedPath(base: string, entry: { parentPath: string, name: string }): string {
  return entry.parentPath === base ? entry.name : `${entry.parentPath.slice(base.length + 1).split(sep).join('/')}/${entry.name}`
}

/**
 * The paths a lockfile's entries name, as parsed from its (untrusted) text. A
 * structural type, not lockfile.ts's `Lockfile`: lockfile.ts imports this file.
 */
type EntryPaths = Record<string, { file?: unknown, variants?: { file?: unknown }[] } | undefined>

/** Throws LockfileError, naming the lockfile, the asset and the field, for the first path that leaves the store. */
export async function checkEntryPaths(store: string, lockfilePath: string, lock: EntryPaths): Promise<void> {
  let leavesStore: ((file: string) => string | undefined) | undefined
  // Each path in turn, with no array or object per entry: every command checks a thousand of them.
  const check = (name: string, field: string, file: unknown) => {
    let problem = unsafeStorePath(file)
    if (problem === undefined) {
      if (!leavesStore) {
        const storeReal = realOrUndefined(store)
        leavesStore = storeReal === undefined ? () => undefined : symlinkCheck(store, storeReal)
      }
      problem = leavesStore(file as string)
    }
    if (problem !== undefined) {
      throw new LockfileError(`${lockfilePath}: asset "${name}", field "${field}": ${JSON.stringify(file)} ${problem}. `
        + `It must be a path inside the store as ai-assets writes it (\`${name}.<12 hex>.<ext>\`). Nothing was read or emitted. `
        + `Restore the lockfile from git, or delete the entry and run \`npx ai-assets generate ${name}\`.`)
    }
  }
  for (const name of Object.keys(lock ?? {})) {
    // Brand styles name no store file: their references live in the project.
    if (!isAssetKey(name))
      continue
    const entry = lock[name]
    check(name, 'file', entry?.file)
    if (Array.isArray(entry?.variants))
      entry.variants.forEach((variant, index) => check(name, `variants[${index}].file`, variant?.file))
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path)
  }
  catch {
    return undefined
  }
}
