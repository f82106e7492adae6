/**
 * Pruning the derivative cache (`node_modules/.cache/ai-assets/derivatives/`):
 * every edit that regenerates an asset, every new version of sharp and every
 * change of the cache's layout leaves entries that no build will ask for
 * again, and nothing else removes them. An entry is kept when a build can
 * still read it (derive/cache-keys.ts): made from an original the lockfile
 * names, or from the offline placeholder of an asset of the config, by the
 * installed sharp under the current versions. Temp files of killed writes
 * and entries whose header cannot be read go too; any of them would be made
 * again if needed. (An entry whose bytes alone are damaged keeps its key: a
 * build's read fails its crc32 and writes it anew.)
 */
import type { ResolvedConfig } from '../config/resolve'
import { rmdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { listCacheFiles } from '../derive/cache'
import { isLiveKey, placeholderKey } from '../derive/cache-keys'
import { derivativesDirOf } from './cache-dir'
import { lockedImages, readLockfile } from './lockfile'

export interface CachePruneResult {
  /** The derivative cache folder. */
  dir: string
  /** Entries removed, or that would be with `dryRun`, and their size. */
  removed: number
  bytes: number
  kept: number
}

export async function pruneDerivativeCache(config: ResolvedConfig, options: { dryRun?: boolean } = {}): Promise<CachePruneResult> {
  const dir = derivativesDirOf(config)
  const lock = await readLockfile(config.store)
  const sha256s = new Set(lockedImages(lock).map(image => image.sha256))
  const placeholders = new Set([...config.assets.values()].map(asset => placeholderKey(asset.name, asset.key)))

  const files = listCacheFiles(dir)
  // A live placeholder's own pieces are made from its sha256, which only its entry records.
  for (const file of files) {
    const made = file.metadata as { sha256?: unknown } | undefined
    if (file.key && placeholders.has(file.key) && typeof made?.sha256 === 'string')
      sha256s.add(made.sha256)
  }
  const removed = files.filter(file => !file.key || !isLiveKey(file.key, { sha256s, placeholders }))
  if (!options.dryRun) {
    for (const file of removed)
      rmSync(join(dir, file.path), { force: true })
    // The two-hex folders left empty.
    for (const folder of new Set(removed.map(file => dirname(join(dir, file.path))))) {
      try {
        rmdirSync(folder)
      }
      catch {}
    }
  }
  return { dir, removed: removed.length, bytes: removed.reduce((sum, file) => sum + file.bytes, 0), kept: files.length - removed.length }
}
