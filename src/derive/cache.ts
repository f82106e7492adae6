/**
 * The derivative cache in `node_modules/.cache/ai-assets/` (not committed).
 * One file per entry, named by the sha256 of its key: a JSON header (the
 * metadata and the sha256 of the bytes), then the bytes. Reads verify the
 * bytes, writes are atomic, and cached bytes are served as they are, never
 * re-encoded.
 *
 * Why not cacache: it costs more to load than a whole warm build, and a warm
 * build needs nothing of it but "read the file named by this key".
 */
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { sha256 } from '../shared/hash'

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
      const header = JSON.parse(file.subarray(4, 4 + length).toString()) as { key: string, sha256: string, metadata: M }
      const data = file.subarray(4 + length)
      // A different key (a hash collision) or damaged bytes: make it anew.
      if (header.key !== key || sha256(data) !== header.sha256)
        return undefined
      return { data, metadata: header.metadata }
    }
    catch {
      return undefined
    }
  }

  const put = async <M>(key: string, data: Buffer, metadata: M) => {
    const header = Buffer.from(JSON.stringify({ key, sha256: sha256(data), metadata }))
    const length = Buffer.alloc(4)
    length.writeUInt32BE(header.length)
    const path = pathOf(key)
    await mkdir(dirname(path), { recursive: true })
    await writeFileAtomic(path, Buffer.concat([length, header, data]))
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
