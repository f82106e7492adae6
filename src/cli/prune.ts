/**
 * `ai-assets prune [--dry-run]`: removes store files that the lockfile no
 * longer references, then the derivative cache's entries that no build can
 * read any more; what is kept and why is core/prune.ts's and
 * core/prune-cache.ts's to decide. This command parses and prints.
 */
import type { CommandContext, GlobalFlags } from './context'
import { relative } from 'node:path'
import { loadAssetsConfig } from '../config/load'
import { pruneStore } from '../core/prune'
import { pruneDerivativeCache } from '../core/prune-cache'
import { loadOptions } from './context'
import { EXIT_FAILURE, EXIT_OK } from './errors'

export interface PruneFlags extends GlobalFlags {
  dryRun?: boolean
}

export async function pruneCommand(flags: PruneFlags, ctx: CommandContext): Promise<number> {
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const where = relative(ctx.cwd, config.store) || '.'
  const result = await pruneStore(config, { dryRun: flags.dryRun, warn: message => ctx.reporter.warn(message) })
  if (result.busy) {
    const holders = [...new Set(result.holders.map(owner => `pid ${owner.pid} on host ${owner.host}`))].join(', ')
    ctx.reporter.warn(`A generation is running (${holders}, ${result.holders.length} lock${result.holders.length === 1 ? '' : 's'} in ${relative(ctx.cwd, result.locks)}): prune again when it is done.`)
    return EXIT_FAILURE
  }
  for (const file of result.removed)
    ctx.reporter.line(`${flags.dryRun ? 'would remove' : 'removed'}  ${where}/${file}`)
  const { removed, bytes, kept } = result
  ctx.reporter.line(removed.length === 0
    ? `Nothing to prune in ${where}/ (${kept} file${kept === 1 ? '' : 's'} kept).`
    : `${flags.dryRun ? 'Would remove' : 'Removed'} ${removed.length} file${removed.length === 1 ? '' : 's'} (${size(bytes)}) from ${where}/; kept ${kept}.`)

  const cache = await pruneDerivativeCache(config, { dryRun: flags.dryRun })
  const cacheDir = relative(ctx.cwd, cache.dir)
  ctx.reporter.line(cache.removed === 0
    ? `Nothing to prune in ${cacheDir}/ (${cache.kept} cache entr${cache.kept === 1 ? 'y' : 'ies'} kept).`
    : `${flags.dryRun ? 'Would remove' : 'Removed'} ${cache.removed} cache entr${cache.removed === 1 ? 'y' : 'ies'} (${size(cache.bytes)}) that no build can use from ${cacheDir}/; kept ${cache.kept}.`)
  return EXIT_OK
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
