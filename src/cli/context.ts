/** What every command gets: where it runs, its output, its environment. */
import type { Reporter } from './reporter'
import { UsageError } from './errors'

export interface CommandContext {
  /** The working directory: `--config` is relative to it, and `assets.config.*` is looked for in it. */
  cwd: string
  env: Record<string, string | undefined>
  reporter: Reporter
  /** Aborted on Ctrl-C. */
  signal: AbortSignal
}

/** Options every command takes. */
export interface GlobalFlags {
  config?: string
}

/** `--config` as the core expects it: a path (relative to cwd) and the root to look in. */
export function loadOptions(ctx: CommandContext, flags: GlobalFlags): { config?: string, root: string } {
  if (flags.config !== undefined && typeof flags.config !== 'string')
    throw new UsageError('--config needs a path, e.g. --config site/assets.config.ts')
  return { config: flags.config, root: ctx.cwd }
}
