/** Which assets are fresh, stale or missing (README "The store, the lockfile and frozen builds"), and the frozen error that lists them. */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { LockEntry, Lockfile } from './lockfile'
import type { StoreCheck } from './store'
import { relative } from 'node:path'
import { isIntact } from './store'

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
  const { name } = asset
  if (isPlaceholderProvider(config))
    return { name, status: 'placeholder' }
  const entry = lock[name]
  if (!entry)
    return { name, status: 'missing', reason: 'not in the lockfile' }
  if (entry.key !== asset.key)
    return { name, status: 'stale', reason: 'its generation inputs changed', entry }
  if (!await isIntact(config, entry.file, entry.sha256, check))
    return { name, status: 'stale', reason: `store file ${entry.file} is missing or corrupted`, entry }
  return { name, status: 'fresh', entry }
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
