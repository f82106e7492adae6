import type { BigIntStats } from 'node:fs'
import type { VerifiedIndex } from './verified-index'
/**
 * The committed store: original bytes exactly as the provider returned them,
 * named `<name>.<first 12 hex of sha256>.<ext>` so a name never points at other
 * bytes. Writes are atomic; every read is checked against its sha256, and
 * a file the verified index vouches for is not read (verified-index.ts).
 */
import { channel } from 'node:diagnostics_channel'
import { statSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { sha256 } from '../common/hash'
import { decodeEveryPixel, describeBytes, probeImage } from '../common/image-probe'
import { writeNewFile } from '../common/write-new-file'
import { cacheDirOf } from './cache-dir'
import { LOCKFILE_NAME } from './lockfile'
import { verifiedIndexOf } from './verified-index'

/** The extension of an original by its format: the formats the store keeps. */
const STORE_EXTENSIONS: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', avif: 'avif', heif: 'avif', gif: 'gif', tiff: 'tiff', svg: 'svg' }

/** `<name>.<12 hex>.<ext>`: an original the store wrote (the last part of its path). */
const ORIGINAL_NAME = new RegExp(`^[a-z0-9_-]+\\.[0-9a-f]{12}\\.(?:${[...new Set(Object.values(STORE_EXTENSIONS))].join('|')})$`)
/** The temp name of an atomic write (write-file-atomic's and writeNewFile's): the target name, a dot and a number. */
const TEMP_SUFFIX = /\.\d+$/

/** A file name the store writes: an original, or the temp file of one or of the lockfile that a killed run left. */
export function isStoreFile(name: string): boolean {
  if (ORIGINAL_NAME.test(name))
    return true
  const target = name.replace(TEMP_SUFFIX, '')
  return target !== name && (ORIGINAL_NAME.test(target) || target === LOCKFILE_NAME)
}

export interface StoredFile {
  /** Path relative to the store folder, with `/` separators. */
  file: string
  sha256: string
  width: number
  height: number
}

/** The bytes do not match the sha256 the lockfile records. */
export class StoreIntegrityError extends Error {
  override name = 'StoreIntegrityError'
}

/** Checks that the bytes decode as an image, then writes them under their content name. */
export async function writeOriginal(store: string, name: string, bytes: Buffer): Promise<StoredFile> {
  const prepared = await prepareOriginal(name, bytes)
  await storeOriginal(store, prepared)
  return prepared.stored
}

/**
 * Checks that the bytes decode as an image, every pixel, and names them,
 * without writing: the journal records the names first. Built-in providers
 * decode what they download already (to retry a broken download); this is
 * the store's own check, which a custom provider's images pass through too.
 */
export async function prepareOriginal(name: string, bytes: Buffer): Promise<{ stored: StoredFile, bytes: Buffer }> {
  const { format, width, height } = await describeImage(bytes)
  try {
    await decodeEveryPixel(bytes)
  }
  catch (error) {
    throw new Error(`its ${format} header says ${width}x${height}, but the pixels do not decode: the image is truncated or damaged (${String((error as Error)?.message ?? error).split('\n')[0]}; ${describeBytes(bytes)})`)
  }
  const hash = sha256(bytes)
  return { stored: { file: `${name}.${hash.slice(0, 12)}.${STORE_EXTENSIONS[format]}`, sha256: hash, width, height }, bytes }
}

/**
 * Writes prepared bytes under their content name, atomically, and flushed to
 * disk: the lockfile will name this file and the journal that would let a
 * later run adopt it is then removed, so its bytes must be on disk first.
 */
export async function storeOriginal(store: string, prepared: { stored: StoredFile, bytes: Buffer }): Promise<void> {
  const path = join(store, prepared.stored.file)
  await mkdir(dirname(path), { recursive: true })
  await writeNewFile(path, prepared.bytes)
}

export async function describeImage(bytes: Buffer): Promise<{ format: string, width: number, height: number }> {
  const header = await probeImage(bytes)
  if (!header)
    throw new Error(`not a decodable image (${describeBytes(bytes, 16)})`)
  const { format, width, height } = header
  if (!format || !(format in STORE_EXTENSIONS))
    throw new Error(`not an image format the store keeps (${format ?? 'unknown'})`)
  return { format, width, height }
}

/**
 * Every time the bytes of a store file are read (to hash them, or to derive
 * from them), the file is announced on this diagnostics channel (free when
 * nobody listens), so that a test or a profiler can see that a warm build
 * reads no original.
 */
export const STORE_READ_CHANNEL = 'unplugin-ai-assets:store-read'
const storeRead = channel(STORE_READ_CHANNEL)

async function readStoreFile(path: string): Promise<Buffer> {
  if (storeRead.hasSubscribers)
    storeRead.publish({ path })
  return readFile(path)
}

/**
 * How hard a store file is checked (README "How much checking costs"):
 * - `indexed`: trust the verified index while the file's stat fingerprint is
 *   unchanged (a stat, no read); else read and hash it, and record it.
 *   Builds, `generate` and `status`.
 * - `full`: read and hash it whatever the index says (and refresh the index).
 *   `status --check`.
 */
export type StoreCheck = 'indexed' | 'full'

/** The store and the project whose cache folder holds its verified index. */
export interface StoreOwner {
  store: string
  /** The config file: the cache folder is beside it. */
  file: string
}

/**
 * Files read for hashing at once. A cold build checks every imported original
 * at once, and each read holds a whole file: unbounded, its memory grew with
 * the number of assets. A few keep the disk and the threads busy. (A counter,
 * not p-queue: `status` comes here and loads no more than it needs.)
 */
const HASHED_AT_ONCE = 8
let hashing = 0
const waitingToHash: (() => void)[] = []

async function inHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < HASHED_AT_ONCE)
    hashing++
  else
    await new Promise<void>(resolve => waitingToHash.push(resolve))
  try {
    return await work()
  }
  finally {
    // The slot passes to the next in line, or is freed.
    const next = waitingToHash.shift()
    if (next)
      next()
    else
      hashing--
  }
}

/** The file's bytes, or undefined when it is missing; StoreIntegrityError when they are not `expected`. */
export async function readOriginal(store: string, file: string, expected: string): Promise<Buffer | undefined> {
  const path = join(store, file)
  let bytes: Buffer
  try {
    bytes = await readStoreFile(path)
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return undefined
    throw error
  }
  const actual = sha256(bytes)
  if (actual !== expected)
    throw new StoreIntegrityError(`${path} is corrupted: its sha256 is ${actual.slice(0, 12)}…, the lockfile expects ${expected.slice(0, 12)}…`)
  return bytes
}

/**
 * The file's stats, or undefined when it cannot be stat'ed. Synchronous on
 * purpose: a stat takes microseconds, and through the thread pool (a promise
 * and a request each) a thousand of them cost about three times the CPU, in
 * every `status` and warm build.
 */
function statOf(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false })
  }
  catch {
    return undefined
  }
}

// The index of each owner (a loaded config) once found: isIntact runs once per store file.
const ownerIndexes = new WeakMap<StoreOwner, { store: string, file: string, index: VerifiedIndex }>()

function indexOf(owner: StoreOwner): VerifiedIndex {
  const known = ownerIndexes.get(owner)
  if (known && known.store === owner.store && known.file === owner.file)
    return known.index
  const index = verifiedIndexOf(cacheDirOf(owner), owner.store)
  ownerIndexes.set(owner, { store: owner.store, file: owner.file, index })
  return index
}

/** Whether the file exists with the expected sha256: hashed unless the verified index vouches for it (`check`). */
export async function isIntact(owner: StoreOwner, file: string, expected: string, check: StoreCheck = 'indexed'): Promise<boolean> {
  const [intact] = await intactFiles(owner, [{ file, sha256: expected }], check)
  return intact!
}

/**
 * isIntact for many files at once: the index is waited for once, and each
 * file it vouches for is checked without a promise of its own, which at a
 * thousand files is most of what `status` costs beside the stats.
 */
export async function intactFiles(owner: StoreOwner, files: readonly { file: string, sha256: string }[], check: StoreCheck = 'indexed'): Promise<boolean[]> {
  const index = indexOf(owner)
  if (check === 'indexed')
    await index.load()
  const intact: boolean[] = []
  const hashing: Promise<void>[] = []
  // Taken before the stats: what the index compares the files' timestamps with (racy-git, verified-index.ts).
  const statedAt = Date.now()
  for (const [i, { file, sha256: expected }] of files.entries()) {
    const path = storePath(owner.store, file)
    const stats = statOf(path)
    intact.push(!!stats?.isFile() && check === 'indexed' && index.lookupLoaded(file, stats) === expected)
    if (intact[i] || !stats?.isFile())
      continue
    hashing.push(inHashingSlot(async () => sha256(await readStoreFile(path)) === expected).then((ok) => {
      intact[i] = ok
      if (ok)
        index.record(file, stats, statedAt, expected)
    }))
  }
  await Promise.all(hashing)
  return intact
}

/** The path of a store file named by the lockfile (a checked relative path with `/`): on POSIX, without path.join's normalising, a thousand times per command. */
function storePath(store: string, file: string): string {
  return sep === '/' ? `${store}/${file}` : join(store, file)
}
