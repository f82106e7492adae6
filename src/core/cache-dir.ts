/** Where the core keeps what it caches, in the project's cache folder (common/cache-dir.ts). */
import type { ResolvedConfig } from '../config/resolve'
import { join } from 'node:path'
import { cacheDirOf } from '../common/cache-dir'

export { CACHE_DIR, cacheDirOf } from '../common/cache-dir'

/** Where derivatives and placeholders are cached. */
export function derivativesDirOf(config: ResolvedConfig): string {
  return join(cacheDirOf(config), 'derivatives')
}
