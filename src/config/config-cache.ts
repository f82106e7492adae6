/**
 * The validated-config cache (README "How much checking costs"). Checking a
 * config of a thousand assets (the schema, then every asset resolved and its
 * generation key hashed) costs more than everything else `status` does, and
 * every command and build does it. So when the evaluated config is JSON data
 * (objects, arrays, strings, finite numbers, booleans, null: no function, no
 * custom provider, no class instance, no `undefined`), the resolved assets of
 * a config that passed every check are kept in the project's cache folder,
 * under a key made of that data, the config file's path and the package's
 * version and build.
 *
 * Only the check of the data is skipped. The config is evaluated on every
 * load (it may read the environment or other files), the provider is made
 * afresh, and every reference image is read again: the entry records what
 * each read gave (its real path and sha256), and an entry whose images read
 * otherwise is not used. A config that failed any check is never written.
 */
import type { ProviderShape } from './deferred-provider'
import type { ResolvedProvider } from './provider'
import type { ReferenceImage } from './reference-image'
import type { ResolvedAsset } from './resolve'
import { readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { cacheDirOf } from '../common/cache-dir'
import { sha256 } from '../common/hash'
import { writeFileAtomic } from '../common/write-atomic'

/** Bumped when the entry's layout or what it holds changes. */
const FORMAT = 1

/** What a cached config holds: what resolving it gave, the provider as data (deferred-provider.ts). */
export interface CachedConfig {
  provider: Omit<ResolvedProvider, 'provider' | 'custom'> & { shape: ProviderShape }
  store: string
  budget?: number
  assets: ResolvedAsset[]
  /** Each reference image as the config names it, and what reading it gave. */
  references: [image: string, read: { path: string, sha256: string }][]
}

interface CacheFile extends CachedConfig {
  format: number
  key: string
}

/** Whether a value, before any `toJSON`, is one JSON writes as it is: nothing dropped, changed or called. */
function isJsonValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      // NaN and ±Infinity would be written null, -0 as 0.
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object': {
      if (value === null)
        return true
      const proto = Object.getPrototypeOf(value) as object | null
      // Not a class instance, a Date or a Map, nor an object literal with `__proto__: …` (which the checks report).
      const plain = Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null
      return plain && typeof (value as { toJSON?: unknown }).toJSON !== 'function'
    }
    default:
      // undefined (dropped, or null in an array, as a hole is), functions, symbols, bigints.
      return false
  }
}

/**
 * The evaluated config as JSON, when it is JSON data; undefined when it is
 * not (it is then checked on every load). One `JSON.stringify`, whose
 * replacer sees every value as the config holds it: a walk of our own over a
 * thousand assets cost several times more. What JSON leaves out of an object
 * (symbol keys, properties that are not enumerable) is not in the text, so
 * what is checked, and cached, is this text parsed again (load.ts).
 */
export function configDataText(value: unknown): string | undefined {
  let data = true
  try {
    const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, written: unknown) {
      if (!data || !isJsonValue(this[key])) {
        data = false
        return undefined
      }
      return written
    })
    return data ? text : undefined
  }
  catch {
    return undefined // A cycle, or a toJSON that throws: not data.
  }
}

/** The key of a config: its data, its file, and what checks it (`build`: the package's version and build). */
export function configCacheKey(file: string, text: string, build: string): string {
  return sha256(`${FORMAT}\0${build}\0${file}\0${text}`)
}

/** Where the entry of the config `file` lives: one per config file, replaced when the config changes. */
export function configCachePath(file: string): string {
  return join(cacheDirOf({ file }), 'config', `${sha256(file).slice(0, 16)}.json`)
}

/**
 * The cached resolution of the config `file` under `key`, when there is one
 * and each reference image it read still reads the same (`allowImagesFrom`:
 * the config's, where they may come from).
 */
export async function readCachedConfig(file: string, key: string, allowImagesFrom: unknown): Promise<CachedConfig | undefined> {
  let entry: CacheFile
  try {
    entry = JSON.parse(readFileSync(configCachePath(file), 'utf8')) as CacheFile
  }
  catch {
    return undefined // None yet, or damaged: checked, and written anew.
  }
  if (entry?.format !== FORMAT || entry.key !== key || !Array.isArray(entry.assets) || !Array.isArray(entry.references) || typeof entry.provider?.shape !== 'object')
    return undefined
  if (entry.references.length > 0) {
    // Loaded only for a config that has reference images.
    const { imageRoots, readReferenceImage } = await import('./reference-image')
    const root = dirname(file)
    const roots = imageRoots(root, allowImagesFrom as string[] | undefined)
    for (const [image, recorded] of entry.references) {
      const now = readReferenceImage(image, root, roots)
      if ('problem' in now || now.path !== recorded.path || now.sha256 !== recorded.sha256)
        return undefined
    }
  }
  return { provider: entry.provider, store: entry.store, budget: entry.budget, assets: entry.assets, references: entry.references }
}

/** Records a config that passed every check. A cache folder that cannot be written only costs the check next time. */
export async function writeCachedConfig(file: string, key: string, config: Omit<CachedConfig, 'references'>, references: ReadonlyMap<string, ReferenceImage>): Promise<void> {
  const reads: CachedConfig['references'] = []
  for (const [image, read] of references) {
    if ('problem' in read)
      return // Not reached: a config with a problem is not valid.
    reads.push([image, { path: read.path, sha256: read.sha256 }])
  }
  const entry: CacheFile = { format: FORMAT, key, provider: config.provider, store: config.store, budget: config.budget, assets: config.assets, references: reads }
  const path = configCachePath(file)
  try {
    await mkdir(dirname(path), { recursive: true })
    // Not flushed to disk: an entry a power cut damaged fails to parse, and is checked and written anew.
    await writeFileAtomic(path, JSON.stringify(entry), { fsync: false })
  }
  catch {}
}
