/**
 * The project's cache folder, `node_modules/.cache/ai-assets/` next to the
 * config file: everything in it can be rebuilt from the store (derivatives,
 * placeholders, Rspack's import files, the verified index of the store's
 * files), so it is never committed. This file is
 * the one place its path is spelled.
 */
import type { ResolvedConfig } from '../config/resolve'
import { dirname, join } from 'node:path'

/** Relative to the project folder (the config file's folder). */
export const CACHE_DIR = 'node_modules/.cache/ai-assets'

/** The cache folder of the project whose config this is. */
export function cacheDirOf(config: Pick<ResolvedConfig, 'file'>): string {
  return join(dirname(config.file), ...CACHE_DIR.split('/'))
}

/** Where derivatives and placeholders are cached. */
export function derivativesDirOf(config: ResolvedConfig): string {
  return join(cacheDirOf(config), 'derivatives')
}
