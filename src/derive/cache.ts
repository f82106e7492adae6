/**
 * The derivative cache in `node_modules/.cache/ai-assets/` (not committed).
 * One file per entry, named by the sha256 of its key: a JSON header (the key,
 * the metadata, the length, crc32 and sha256 of the bytes), then the bytes.
 * Reads check the bytes, writes are atomic, and cached bytes are served as
 * they are, never re-encoded.
 *
 * Why crc32 and the length, not a sha256: the cache is not a trust boundary
 * (anything that can write it can write `node_modules/`), so the check is
 * there to catch a truncated or damaged file (a full disk, a killed copy, a
 * flipped byte), which the length and a crc32 do at a fraction of the cost
 * of hashing every cached file on every warm build. The store, which is
 * committed and reviewed, keeps its sha256 (README "The store, the lockfile
 * and frozen builds"). The sha256 recorded at `put` names the emitted file
 * (`knownSha256`), so that a warm build hashes no cached file at all.
 *
 * Why not cacache: it costs more to load than a whole warm build, and a warm
 * build needs nothing of it but "read the file named by this key".
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import { sha256 } from '../common/hash'
import { writeNewFile } from '../common/write-new-file'

export interface CachedEntry<M> {
  data: Buffer
  metadata: M
}

export interface DerivativeCache {
  get: <M>(key: string) => Promise<CachedEntry<M> | undefined>
  put: <M>(key: string, data: Buffer, metadata: M) => Promise<void>
  /** The metadata alone. */
  info: <M>(key: string) => Promise<M | undefined>
  /** Gets, or makes and puts. */
  through: <M>(key: string, make: () => Promise<CachedEntry<M>>) => Promise<CachedEntry<M>>
}

interface Header<M> {
  key: string
  /** Of the bytes after the header. */
  length: number
  crc32: number
  sha256: string
  metadata: M
}

// The sha256 of bytes this cache served or stored, recorded when they were made.
const contentHashes = new WeakMap<Buffer, string>()

/** The sha256 of bytes that came from (or went into) a derivative cache, without hashing them again. */
export function knownSha256(data: Buffer): string | undefined {
  return contentHashes.get(data)
}

export function createDerivativeCache(dir: string): DerivativeCache {
  const pathOf = (key: string) => {
    const hash = sha256(key)
    return join(dir, hash.slice(0, 2), hash.slice(2))
  }

  const get = async <M>(key: string): Promise<CachedEntry<M> | undefined> => {
    let file: Buffer
    try {
      file = await readFile(pathOf(key))
    }
    catch {
      return undefined
    }
    // Layout: header length (uint32 BE), JSON header, bytes.
    const length = file.length >= 4 ? file.readUInt32BE(0) : -1
    try {
      const header = JSON.parse(file.subarray(4, 4 + length).toString()) as Header<M>
      const data = file.subarray(4 + length)
      // A different key (a hash collision), a truncated or damaged file, or an entry of an older layout: make it anew.
      if (header.key !== key || data.length !== header.length || crc32(data) !== header.crc32 || typeof header.sha256 !== 'string')
        return undefined
      contentHashes.set(data, header.sha256)
      return { data, metadata: header.metadata }
    }
    catch {
      return undefined
    }
  }

  const put = async <M>(key: string, data: Buffer, metadata: M) => {
    const hash = sha256(data)
    contentHashes.set(data, hash)
    const header = Buffer.from(JSON.stringify({ key, length: data.length, crc32: crc32(data), sha256: hash, metadata } satisfies Header<M>))
    const length = Buffer.alloc(4)
    length.writeUInt32BE(header.length)
    const path = pathOf(key)
    await mkdir(dirname(path), { recursive: true })
    // A file of ours under a folder we made: no real path to resolve, no mode or owner to copy (write-file-atomic's
    // lstat per folder, stat, chown and chmod cost more garbage than the entry's bytes, a thousand entries over),
    // and no fsync: an entry a power cut truncated fails its length and crc32 check and is made anew.
    await writeNewFile(path, Buffer.concat([length, header, data]), { fsync: false })
  }

  return {
    get,
    put,
    info: async key => (await get<any>(key))?.metadata,
    async through(key, make) {
      const hit = await get<any>(key)
      if (hit)
        return hit
      const made = await make()
      await put(key, made.data, made.metadata)
      return made
    },
  }
}

export interface CacheFile {
  /** Path inside the cache folder. */
  path: string
  bytes: number
  /** The key its header names; undefined for a temp file a killed write left, or a damaged header. */
  key?: string
  metadata?: unknown
}

/** An entry's name: the 64 hex of its key's sha256, split after the first two (`pathOf`). */
const ENTRY_PATH = /^[0-9a-f]{2}[/\\][0-9a-f]{62}$/

/**
 * Every file of a derivative cache, with the key and metadata its header
 * names: the header alone is read, not the bytes after it (`ai-assets
 * prune`, which decides what is kept). Synchronous: a command that does
 * nothing else, over thousands of small reads.
 */
export function listCacheFiles(dir: string): CacheFile[] {
  let names: string[]
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return []
    throw error
  }
  return names.flatMap((name) => {
    const path = join(dir, name)
    const stats = statSync(path, { throwIfNoEntry: false })
    if (!stats?.isFile())
      return []
    const file: CacheFile = { path: name, bytes: stats.size }
    return [ENTRY_PATH.test(file.path) ? { ...file, ...readHeader(path, stats.size) } : file]
  })
}

function readHeader(path: string, size: number): { key?: string, metadata?: unknown } {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const length = Buffer.alloc(4)
    if (readSync(fd, length, 0, 4, 0) !== 4 || length.readUInt32BE(0) > size - 4)
      return {}
    const header = Buffer.alloc(length.readUInt32BE(0))
    if (readSync(fd, header, 0, header.length, 4) !== header.length)
      return {}
    const { key, metadata } = JSON.parse(header.toString()) as Header<unknown>
    return typeof key === 'string' ? { key, metadata } : {}
  }
  catch {
    return {}
  }
  finally {
    if (fd !== undefined)
      closeSync(fd)
  }
}
