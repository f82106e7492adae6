/**
 * Picking a variant: an asset generated with `variants` keeps every image in
 * the store, and its lock entry's `file`, `sha256`, size and `pick` name the
 * one builds emit. Switching them is a change of the lockfile, made under its
 * lock and only if the entry is still the one the pick was made from: a
 * generation that lands meanwhile (`generate --force`) is never overwritten
 * with a variant of the image it replaced.
 */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { LockEntry } from './lockfile'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readLockfile, updateLockfile } from './lockfile'
import { describeImage, isIntact } from './store'

/** What a pick did, or why it could not: the CLI words each case. */
export type PickOutcome
  = | { kind: 'picked', file: string, count: number, stale: boolean }
    | { kind: 'not-generated' }
    | { kind: 'no-variants' }
    | { kind: 'out-of-range', count: number }
    | { kind: 'broken', path: string }

/** The entry changed between reading it and recording the pick. */
export class PickRaceError extends Error {
  override name = 'PickRaceError'
  constructor(asset: string) {
    super(`The lock entry of "${asset}" changed while picking (a generation of it was recorded meanwhile); run pick again.`)
    this.stack = `${this.name}: ${this.message}`
  }
}

/** Whether `now` is still the generation `before` was read from. */
function sameGeneration(now: LockEntry | undefined, before: LockEntry): boolean {
  return now !== undefined && now.key === before.key && now.sha256 === before.sha256
}

/** Makes variant `index` (1-based, as `status` and `preview` number them) the one `asset` emits. */
export async function pickVariant(config: ResolvedConfig, asset: ResolvedAsset, index: number, warn?: (message: string) => void): Promise<PickOutcome> {
  const entry = (await readLockfile(config.store))[asset.name]
  if (!entry)
    return { kind: 'not-generated' }
  const variants = entry.variants ?? []
  if (variants.length < 2)
    return { kind: 'no-variants' }
  if (!Number.isInteger(index) || index < 1 || index > variants.length)
    return { kind: 'out-of-range', count: variants.length }
  const variant = variants[index - 1]!
  if (!await isIntact(config, variant.file, variant.sha256))
    return { kind: 'broken', path: join(config.store, variant.file) }
  const { width, height } = await describeImage(await readFile(join(config.store, variant.file)))
  await updateLockfile(config.store, (current) => {
    const now = current[asset.name]
    if (!sameGeneration(now, entry))
      throw new PickRaceError(asset.name)
    current[asset.name] = { ...now!, file: variant.file, sha256: variant.sha256, width, height, pick: index - 1 }
  }, warn)
  return { kind: 'picked', file: variant.file, count: variants.length, stale: entry.key !== asset.key }
}
