/** Which assets are fresh, stale or missing (README "The store, the lockfile and frozen builds"), and the frozen error that lists them. */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { LockEntry, Lockfile } from './lockfile'
import type { StoreCheck } from './store'
import { relative } from 'node:path'
import { intactFiles } from './store'

export type AssetStatus = 'fresh' | 'stale' | 'missing' | 'placeholder'

export interface AssetState {
  name: string
  status: AssetStatus
  /** Why it is not fresh, in words. */
  reason?: string
  entry?: LockEntry
}

export function isPlaceholderProvider(config: ResolvedConfig): boolean {
  return config.name === 'placeholder'
}

/** `check`: how hard its store file is checked (store.ts): the verified index, or a hash whatever the index says. */
export async function assetState(config: ResolvedConfig, asset: ResolvedAsset, lock: Lockfile, check: StoreCheck = 'indexed'): Promise<AssetState> {
  const [state] = await assetStates(config, [asset], lock, check)
  return state!
}

/** assetState of many assets, their store files checked together (intactFiles). */
export async function assetStates(config: ResolvedConfig, assets: readonly ResolvedAsset[], lock: Lockfile, check: StoreCheck = 'indexed'): Promise<AssetState[]> {
  if (isPlaceholderProvider(config))
    return assets.map(({ name }) => ({ name, status: 'placeholder' }))
  // Which assets are fresh unless their store file fails its check.
  const current: number[] = []
  const states = assets.map(({ name, key }, index): AssetState => {
    const entry = lock[name]
    if (!entry)
      return { name, status: 'missing', reason: 'not in the lockfile' }
    if (entry.key !== key)
      return { name, status: 'stale', reason: 'its generation inputs changed', entry }
    current.push(index)
    return { name, status: 'fresh', entry }
  })
  const intact = await intactFiles(config, current.map(index => states[index]!.entry!), check)
  current.forEach((index, i) => {
    const state = states[index]!
    if (!intact[i])
      states[index] = { ...state, status: 'stale', reason: `store file ${state.entry!.file} is missing or corrupted` }
  })
  return states
}

/** A frozen run met assets it would have to generate: all of them, and the command that fixes it. */
export class FrozenError extends Error {
  override name = 'FrozenError'
  constructor(readonly states: AssetState[], config: ResolvedConfig) {
    const names = states.map(state => state.name)
    const lines = states.map(state => `  - ${state.name}: ${state.status} (${state.reason})`)
    const configFlag = relative(process.cwd(), config.file) === 'assets.config.ts' ? '' : ` --config ${relative(process.cwd(), config.file)}`
    super(`Frozen run (CI is set, or frozen: true): ${states.length} asset${states.length === 1 ? ' is' : 's are'} not fresh in the store and will not be generated:\n${lines.join('\n')}\n`
      + `Fix: run \`npx ai-assets generate ${names.join(' ')}${configFlag}\` where the API key is set, and commit ${relative(process.cwd(), config.store) || '.'}/.`)
    this.stack = `${this.name}: ${this.message}`
  }
}
