/**
 * `ai-assets pick NAME N`: chooses variant N (1-based, as `status` and
 * `preview` number them) of an asset generated with `variants`. The lock
 * entry's `file`, `sha256`, size and `pick` (0-based) switch to that variant;
 * the next build emits it. Nothing is generated.
 */
import type { CommandContext, GlobalFlags } from './context'
import { join, relative } from 'node:path'
import { loadAssetsConfig } from '../config/load'
import { readLockfile, updateLockfile } from '../core/lockfile'
import { selectAssets } from '../core/run-plan'
import { describeImage, isIntact } from '../core/store'
import { readFile } from 'node:fs/promises'
import { loadOptions } from './context'
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors'

export async function pickCommand(name: string, n: string, flags: GlobalFlags, ctx: CommandContext): Promise<number> {
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const [asset] = selectAssets(config, [String(name)])
  const lock = await readLockfile(config.store)
  const entry = lock[asset!.name]
  if (!entry) {
    ctx.reporter.warn(`"${asset!.name}" has not been generated yet: run \`npx ai-assets generate ${asset!.name}\` first.`)
    return EXIT_FAILURE
  }
  const variants = entry.variants ?? []
  if (variants.length < 2)
    throw new UsageError(`"${asset!.name}" has no variants to pick from: set \`variants: 2\` (up to 6) on it and run \`ai-assets generate ${asset!.name}\``)
  const index = Number(n)
  if (!Number.isInteger(index) || index < 1 || index > variants.length)
    throw new UsageError(`pick ${asset!.name} needs a variant number from 1 to ${variants.length}, not ${JSON.stringify(String(n))}`)
  const variant = variants[index - 1]!
  if (!await isIntact(config.store, variant.file, variant.sha256)) {
    ctx.reporter.warn(`${relative(ctx.cwd, join(config.store, variant.file))} is missing or corrupted: restore it from git, or run \`npx ai-assets generate ${asset!.name} --force\`.`)
    return EXIT_FAILURE
  }
  const { width, height } = await describeImage(await readFile(join(config.store, variant.file)))
  await updateLockfile(config.store, (current) => {
    const now = current[asset!.name]
    if (!now || now.sha256 !== entry.sha256 && now.key !== entry.key)
      throw new Error(`The lock entry of "${asset!.name}" changed while picking; run pick again.`)
    current[asset!.name] = { ...now, file: variant.file, sha256: variant.sha256, width, height, pick: index - 1 }
  }, message => ctx.reporter.warn(message))
  const stale = entry.key !== asset!.key ? ' (note: this asset is stale; the next generate replaces every variant)' : ''
  ctx.reporter.line(`Picked variant ${index} of ${variants.length} for ${asset!.name}: ${variant.file}${stale}`)
  return EXIT_OK
}
