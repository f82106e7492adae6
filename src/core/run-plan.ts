/**
 * The plan of a run: which assets it selects, what it would do with each
 * (generate, take from the store, draw a placeholder) and why, and what that
 * would cost. `generateAssets`, `status` and `preview` share it.
 */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { AssetState, AssetStatus } from './asset-state'
import type { AssetEstimate } from './cost'
import type { LockEntry } from './lockfile'
import type { StoreCheck } from './store'
import { relative } from 'node:path'
import { didYouMean } from '../config/suggest'
import { assetStates, FrozenError, isPlaceholderProvider } from './asset-state'
import { styleKey, stylesOf } from './brand-styles'
import { staleReason } from './changes'
import { estimateAsset, roundUSD } from './cost'
import { missingCredentials, placeholderNote } from './credentials'
import { readLockfile } from './lockfile'
import { isIntact } from './store'

/** What a run does with an asset. */
export type PlanAction = 'generate' | 'cached' | 'placeholder'

export interface PlannedAsset {
  name: string
  status: AssetStatus
  action: PlanAction
  /** Why it is not fresh (not in the lockfile, which input changed, forced), or why it is a placeholder. */
  reason?: string
  /** Set when it would be generated but the credentials are missing: what is drawn instead. */
  note?: string
  provider: string
  model: string
  /** Another asset of the same generation key, in this plan or in the lockfile: this one reuses its image and costs nothing more. */
  sharesWith?: string
  /** What generating it costs, from the price table (whatever the action). */
  estimate: AssetEstimate
  entry?: LockEntry
}

export interface PlanEstimate {
  /** USD for every asset the run generates (priced models only). */
  usd: number
  /** Images those generations ask for. */
  images: number
  /** Assets to generate whose model has no price (custom providers). */
  unpriced: string[]
  /** Some price is a rough public number. */
  rough: boolean
}

/** Names that are not assets of the config: a usage error. */
export class UnknownAssetError extends Error {
  override name = 'UnknownAssetError'
  constructor(readonly names: string[], config: ResolvedConfig) {
    const known = [...config.assets.keys()]
    super(`Unknown asset${names.length === 1 ? '' : 's'} ${names.map(n => `"${n}"${didYouMean(n, known)}`).join(', ')}: `
      + `${relative(process.cwd(), config.file) || config.file} defines ${known.length > 0 ? known.join(', ') : 'no assets'}`)
    this.stack = `${this.name}: ${this.message}`
  }
}

/** The selected assets, in config order; every unknown name in one error. */
export function selectAssets(config: ResolvedConfig, names: readonly string[] = []): ResolvedAsset[] {
  if (names.length === 0)
    return [...config.assets.values()]
  const unknown = names.filter(name => !config.assets.has(name))
  if (unknown.length > 0)
    throw new UnknownAssetError(unknown, config)
  const wanted = new Set(names)
  return [...config.assets.values()].filter(asset => wanted.has(asset.name))
}

export interface PlanOptions {
  force?: boolean
  env?: Record<string, string | undefined>
  /** How hard each store file is checked: `'full'` hashes every one, whatever the verified index says (`status --check`). @default 'indexed' */
  check?: StoreCheck
}

/** Every selected asset with its state, what a run would do with it and why, and its price. */
export async function planAssets(config: ResolvedConfig, assets: ResolvedAsset[], options: PlanOptions = {}): Promise<{ plan: PlannedAsset[], states: AssetState[] }> {
  const env = options.env ?? process.env
  const lock = await readLockfile(config.store)
  const missing = missingCredentials(config, env)
  const states = await assetStates(config, assets, lock, options.check)
  // A brand's style is paid once: by the first asset to generate that needs it, unless the lockfile has it.
  const styles = stylesOf(lock)
  const counted = new Set<string>()
  const paysForStyle = (asset: ResolvedAsset, generating: boolean) => {
    if (!asset.brand || !generating)
      return false
    const key = styleKey(config.name, asset.brand, !!asset.generation.vector)
    if (styles[key] || counted.has(key))
      return false
    counted.add(key)
    return true
  }
  const plan = assets.map((asset, index): PlannedAsset => {
    const state = states[index]!
    const generating = !isPlaceholderProvider(config) && (state.status !== 'fresh' || !!options.force)
    const base = { name: asset.name, status: state.status, provider: config.name, model: asset.generation.model, estimate: estimateAsset(asset, { createStyle: paysForStyle(asset, generating) }), entry: state.entry }
    if (isPlaceholderProvider(config))
      return { ...base, action: 'placeholder', reason: 'the provider is "placeholder" (offline, never stored)' }
    if (state.status === 'fresh' && !options.force)
      return { ...base, action: 'cached' }
    const reason = state.status === 'fresh' ? 'forced (--force)' : staleReason(asset, state)
    if (missing.length > 0)
      return { ...base, action: 'placeholder', reason, note: placeholderNote(missing) }
    return { ...base, action: 'generate', reason }
  })
  // A key is paid once: the first asset of a key generates, the others share its image.
  const payers = new Map<string, string>()
  const generating = new Set<string>()
  plan.forEach((item, index) => item.action === 'generate' && generating.add(assets[index]!.key))
  // Nothing to generate (a `status` of fresh assets): no entry of the lockfile to look at.
  for (const [name, entry] of generating.size > 0 ? Object.entries(lock) : []) {
    if (!options.force && generating.has(entry.key) && !payers.has(entry.key) && await isIntact(config, entry.file, entry.sha256, options.check))
      payers.set(entry.key, name)
  }
  plan.forEach((item, index) => {
    if (item.action !== 'generate')
      return
    const key = assets[index]!.key
    const payer = payers.get(key)
    if (payer !== undefined && payer !== item.name) {
      item.sharesWith = payer
      item.reason = `${item.reason}; same generation inputs as "${payer}", whose image it reuses (no new call)`
    }
    else {
      payers.set(key, item.name)
    }
  })
  return { plan, states }
}

export function sumEstimate(plan: PlannedAsset[]): PlanEstimate {
  const generating = plan.filter(item => item.action === 'generate' && item.sharesWith === undefined)
  return {
    usd: roundUSD(generating.reduce((sum, item) => sum + (item.estimate.usd ?? 0), 0)),
    images: generating.reduce((sum, item) => sum + item.estimate.images, 0),
    unpriced: generating.filter(item => item.estimate.usd === undefined).map(item => item.name),
    rough: generating.some(item => item.estimate.rough),
  }
}

/**
 * The one frozen check of a whole run: a frozen run (CI, `--frozen`) calls no
 * provider, so every planned asset that is not fresh (or is forced) is listed
 * in one FrozenError before anything starts.
 */
export function refuseFrozen(config: ResolvedConfig, plan: readonly PlannedAsset[]): void {
  if (isPlaceholderProvider(config))
    return
  const blocked = plan.filter(item => item.action !== 'cached')
  if (blocked.length > 0)
    throw new FrozenError(blocked.map(item => ({ name: item.name, status: item.status === 'fresh' ? 'stale' : item.status, reason: item.reason, entry: item.entry })), config)
}
