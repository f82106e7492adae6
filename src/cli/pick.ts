/**
 * `ai-assets pick NAME N`: chooses variant N (1-based, as `status` and
 * `preview` number them) of an asset generated with `variants`. The lock
 * entry's `file`, `sha256`, size and `pick` (0-based) switch to that variant;
 * the next build emits it. Nothing is generated.
 */
import type { CommandContext, GlobalFlags } from './context'
import { relative } from 'node:path'
import { loadAssetsConfig } from '../config/load'
import { pickVariant } from '../core/pick'
import { selectAssets } from '../core/run-plan'
import { loadOptions } from './context'
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors'

export async function pickCommand(name: string, n: string, flags: GlobalFlags, ctx: CommandContext): Promise<number> {
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const [asset] = selectAssets(config, [String(name)])
  const index = Number(n)
  const outcome = await pickVariant(config, asset!, index, message => ctx.reporter.warn(message))
  switch (outcome.kind) {
    case 'not-generated':
      ctx.reporter.warn(`"${asset!.name}" has not been generated yet: run \`npx ai-assets generate ${asset!.name}\` first.`)
      return EXIT_FAILURE
    case 'no-variants':
      throw new UsageError(`"${asset!.name}" has no variants to pick from: set \`variants: 2\` (up to 6) on it and run \`ai-assets generate ${asset!.name}\``)
    case 'out-of-range':
      throw new UsageError(`pick ${asset!.name} needs a variant number from 1 to ${outcome.count}, not ${JSON.stringify(String(n))}`)
    case 'broken':
      ctx.reporter.warn(`${relative(ctx.cwd, outcome.path)} is missing or corrupted: restore it from git, or run \`npx ai-assets generate ${asset!.name} --force\`.`)
      return EXIT_FAILURE
    case 'picked': {
      const stale = outcome.stale ? ' (note: this asset is stale; the next generate replaces every variant)' : ''
      ctx.reporter.line(`Picked variant ${index} of ${outcome.count} for ${asset!.name}: ${outcome.file}${stale}`)
      return EXIT_OK
    }
  }
}
