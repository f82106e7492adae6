/**
 * The committed store: original bytes exactly as the provider returned them,
 * named `<name>.<first 12 hex of sha256>.<ext>` so a name never points at other
 * bytes. Writes are atomic and every read is checked against its sha256.
 */
import { mkdir, readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { sha256 } from '../shared/hash'
import { describeBytes, probeImage } from '../shared/image-probe'

const EXTENSIONS: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', avif: 'avif', heif: 'avif', gif: 'gif', tiff: 'tiff' }

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

/** Checks that the bytes decode as an image and names them, without writing: the journal records the names first. */
export async function prepareOriginal(name: string, bytes: Buffer): Promise<{ stored: StoredFile, bytes: Buffer }> {
  const { format, width, height } = await describeImage(bytes)
  const hash = sha256(bytes)
  return { stored: { file: `${name}.${hash.slice(0, 12)}.${EXTENSIONS[format]}`, sha256: hash, width, height }, bytes }
}

/** Writes prepared bytes under their content name, atomically. */
export async function storeOriginal(store: string, prepared: { stored: StoredFile, bytes: Buffer }): Promise<void> {
  const path = join(store, prepared.stored.file)
  await mkdir(dirname(path), { recursive: true })
  await writeFileAtomic(path, prepared.bytes)
}

export async function describeImage(bytes: Buffer): Promise<{ format: string, width: number, height: number }> {
  const header = await probeImage(bytes)
  if (!header)
    throw new Error(`not a decodable image (${describeBytes(bytes, 16)})`)
  const { format, width, height } = header
  if (!format || !(format in EXTENSIONS))
    throw new Error(`not an image format the store keeps (${format ?? 'unknown'})`)
  return { format, width, height }
}

// Hashing a store file once per process is enough while it keeps its size and mtime.
const verified = new Map<string, string>()

/** The file's bytes, or undefined when it is missing; StoreIntegrityError when they are not `expected`. */
export async function readOriginal(store: string, file: string, expected: string): Promise<Buffer | undefined> {
  const path = join(store, file)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
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

/** Whether the file exists with the expected sha256, hashing it at most once per process per version of it. */
export async function isIntact(store: string, file: string, expected: string): Promise<boolean> {
  const path = join(store, file)
  const info = await stat(path).catch(() => undefined)
  if (!info)
    return false
  const version = `${path}:${info.size}:${info.mtimeMs}:${info.ino}`
  if (verified.get(version) === expected)
    return true
  const ok = sha256(await readFile(path)) === expected
  if (ok)
    verified.set(version, expected)
  return ok
}
