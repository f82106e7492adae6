/**
 * `ai-assets types [--dts PATH]`: writes `ai-assets.d.ts` without a build, so
 * that `tsc && vite build` passes on a fresh project. The path follows the
 * plugin's `dts` option: next to the config, or PATH relative to the config's
 * folder. `generate` keeps it current (`syncDtsAfterGenerate`).
 */
import type { ResolvedConfig } from '../config/resolve'
import type { CommandContext, GlobalFlags } from './context'
import { dirname, relative } from 'node:path'
import { loadAssetsConfig } from '../config/load'
import { dtsTarget, removeGeneratedRootDts, writeDts } from '../output/dts'
import { loadOptions } from './context'
import { EXIT_OK, UsageError } from './errors'

export interface DtsFlags extends GlobalFlags {
  dts?: unknown
}

/** `--dts PATH` as the plugin's `dts` option; undefined when the flag is absent. */
function dtsOption(flags: DtsFlags): string | undefined {
  if (flags.dts === undefined)
    return undefined
  if (typeof flags.dts !== 'string' || flags.dts === '')
    throw new UsageError('--dts needs a path relative to the config\'s folder, e.g. --dts src/ai-assets.d.ts')
  return flags.dts
}

async function write(ctx: CommandContext, { path, framework }: { path: string, framework?: string }, config: ResolvedConfig): Promise<void> {
  const changed = await writeDts(path, config)
  ctx.reporter.line(`${changed ? 'Wrote' : 'Up to date:'} ${relative(ctx.cwd, path) || path} (${config.assets.size} asset${config.assets.size === 1 ? '' : 's'})`)
  const removed = framework && removeGeneratedRootDts(dirname(config.file), framework, file => relative(ctx.cwd, file) || file)
  if (removed)
    ctx.reporter.line(removed)
}

export async function typesCommand(flags: DtsFlags, ctx: CommandContext): Promise<number> {
  const option = dtsOption(flags)
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  // Where the plugin would write (an Astro or Nuxt integration's file included), else next to the config.
  await write(ctx, dtsTarget(option, config) ?? dtsTarget(true, config)!, config)
  return EXIT_OK
}

/** After `generate`: rewrite the declarations where the plugin would (or at `--dts`), so that they follow the config. */
export async function syncDtsAfterGenerate(flags: DtsFlags, ctx: CommandContext, config: ResolvedConfig): Promise<void> {
  const target = dtsTarget(dtsOption(flags), config)
  if (target)
    await write(ctx, target, config)
}
