/**
 * The project's cache folder, `node_modules/.cache/ai-assets/` next to the
 * config file: everything in it can be rebuilt from the config and the store
 * (the validated config, derivatives, placeholders, Rspack's import files,
 * the verified index of the store's files), so it is never committed. This
 * file is the one place its path is spelled.
 */
import { dirname, join } from 'node:path'

/** Relative to the project folder (the config file's folder). */
export const CACHE_DIR = 'node_modules/.cache/ai-assets'

/** The cache folder of the project whose config file this is. */
export function cacheDirOf(config: { file: string }): string {
  return join(dirname(config.file), ...CACHE_DIR.split('/'))
}
