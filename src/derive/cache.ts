/**
 * The derivative cache in `node_modules/.cache/ai-assets/` (not committed),
 * on cacache: content-addressed, atomic, integrity-checked, safe to share
 * between processes. Cached bytes are served as they are, never re-encoded.
 */
import cacache from 'cacache'

export interface CachedEntry<M> {
  data: Buffer
  metadata: M
}

export interface DerivativeCache {
  get: <M>(key: string) => Promise<CachedEntry<M> | undefined>
  put: <M>(key: string, data: Buffer, metadata: M) => Promise<void>
  /** The metadata alone, without reading the bytes. */
  info: <M>(key: string) => Promise<M | undefined>
  /** Gets, or makes and puts. */
  through: <M>(key: string, make: () => Promise<CachedEntry<M>>) => Promise<CachedEntry<M>>
}

export function createDerivativeCache(dir: string): DerivativeCache {
  const get = async <M>(key: string) => {
    try {
      const { data, metadata } = await cacache.get(dir, key)
      return { data, metadata: metadata as M }
    }
    catch {
      // Missing, or failed its integrity check: either way, make it anew.
      return undefined
    }
  }
  const put = async <M>(key: string, data: Buffer, metadata: M) => {
    await cacache.put(dir, key, data, { metadata })
  }
  return {
    get,
    put,
    async info(key) {
      const entry = await cacache.get.info(dir, key).catch(() => null)
      return entry ? entry.metadata : undefined
    },
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
