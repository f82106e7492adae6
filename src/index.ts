/**
 * The package's main entry (README "Programmatic API"): `defineAssets`, the
 * types, `loadAssetsConfig`, `generateAssets` and the errors they throw. The
 * plugin itself is imported through the bundler entries (`/vite`, `/rollup`,
 * …: plugin/unplugin.ts), so that a config importing `defineAssets` loads
 * neither unplugin nor the plugin (the CLI evaluates it on every command).
 */
import type { GenerateAssetsOptions, GenerateAssetsResult } from './core/generate'

export { defineAssets } from './config/define'
export { AssetsConfigError } from './config/errors'
export { loadAssetsConfig } from './config/load'
export type { ResolvedAsset, ResolvedConfig } from './config/resolve'
export { FrozenError } from './core/asset-state'
export { BudgetError } from './core/cost'
export type { AssetResult, GenerateAssetsOptions, GenerateAssetsResult, GenerateEvent, GenerateSummary, Outcome } from './core/generate'
export { LockfileError } from './core/lockfile-paths'
export type { RunOptions } from './core/pipeline'
export { type PlanEstimate, type PlannedAsset, UnknownAssetError } from './core/run-plan'
export { StoreIntegrityError } from './core/store'
export { placeholderProvider } from './providers/placeholder/index'
export type * from './types'

/**
 * Generates every selected asset that is missing or stale (or all of them with
 * `force`), within the budget. Throws AssetsConfigError (invalid config),
 * UnknownAssetError, FrozenError (a frozen run meets an asset that is not
 * fresh) or BudgetError (the estimate exceeds the cap) before calling
 * anything; a failure of one asset is reported in its result, not thrown.
 *
 * (The generation code and its queue are imported on the first call, so that
 * a config importing `defineAssets` from this entry does not load them.)
 */
export async function generateAssets(options?: GenerateAssetsOptions): Promise<GenerateAssetsResult> {
  const generation = await import('./core/generate')
  return generation.generateAssets(options)
}
