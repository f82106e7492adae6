/**
 * The `ai-assets` command line (README "The `ai-assets` CLI"), on cac. Each command lives in its
 * own file; this one wires them, and turns every error into one message and
 * an exit code: 0 success, 1 a failure, 2 a usage or config error.
 *
 * A command's module is imported only when that command runs, so that
 * `--version`, `--help` and a light command such as `status` never load what
 * another needs (sharp for `preview`, the providers' clients for `generate`).
 * Keep it so: this file imports no command and nothing of the core.
 */
import type { CommandContext } from './context'
import type { Streams } from './reporter'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cac } from 'cac'
import { EXIT_OK, EXIT_USAGE, UsageError } from './errors'
import { Reporter } from './reporter'

export interface RunOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  streams?: Streams
  /** Force the TTY progress display on or off. @default whether stderr is a TTY */
  tty?: boolean
  signal?: AbortSignal
}

/** The package's version, from the package.json above this file (src/ or dist/). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'unplugin-ai-assets')
        return pkg.version ?? '0.0.0'
    }
    catch {}
    dir = dirname(dir)
  }
  return '0.0.0'
}

const COMMANDS = ['generate', 'status', 'build', 'prune', 'pick', 'preview', 'types']

/** Runs the CLI with `args` (without `node` and the script); resolves to the exit code. */
export async function run(args: string[], options: RunOptions = {}): Promise<number> {
  const streams = options.streams ?? { stdout: process.stdout, stderr: process.stderr }
  const reporter = new Reporter(streams, { tty: options.tty })
  const ctx: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    reporter,
    signal: options.signal ?? new AbortController().signal,
  }

  const cli = cac('ai-assets')
  cli.option('--config <path>', 'Path of the assets config (default: assets.config.{ts,mts,js,mjs} in the current folder)')

  cli.command('generate [...names]', 'Generate the assets that are missing or stale (all, or the names given)')
    .option('--force', 'Regenerate even when fresh')
    .option('--dry-run', 'Print the plan and the estimated cost; call nothing, write nothing')
    .option('--frozen', 'Never call a provider: fail if anything is not fresh (default when CI is set)')
    .option('--concurrency <n>', 'Provider requests in flight at once (default: 4)')
    .option('--max-cost <usd>', 'Refuse a run estimated above this many US dollars, and stop before exceeding it (overrides the config\'s budget)')
    .option('--dts <path>', 'Where ai-assets.d.ts is kept current, relative to the config (default: next to it when a tsconfig.json is there)')
    .example('ai-assets generate --dry-run')
    .example('ai-assets generate hero logo --max-cost 1')
    .action(async (names: string[], flags) => (await import('./generate')).generateCommand(names, flags, ctx))

  cli.command('status [...names]', 'Show every asset as fresh, stale (and why), missing or placeholder')
    .option('--check', 'Exit with 1 when any asset is not fresh (for CI)')
    .option('--json', 'Print JSON')
    .action(async (names: string[], flags) => (await import('./status')).statusCommand(names, flags, ctx))

  cli.command('build', 'For static sites: write every derivative and manifest.json (name → GeneratedImage) into a folder')
    .option('--out <dir>', 'Folder to write into (required)')
    .option('--base <url>', 'Public URL of that folder, prefixed to every URL in the manifest (default: none, URLs relative to it)')
    .option('--frozen', 'Never call a provider: fail if anything is not fresh (default when CI is set)')
    .option('--concurrency <n>', 'Provider requests in flight at once (default: 4)')
    .option('--derive-concurrency <n>', 'Assets whose images are made at once (default: the number of cores)')
    .option('--max-cost <usd>', 'Most US dollars generating missing assets may cost')
    .example('ai-assets build --out public/images --base /images/')
    .action(async flags => (await import('./build')).buildCommand(flags, ctx))

  cli.command('prune', 'Remove store files the lockfile no longer references, and cache entries no build can use')
    .option('--dry-run', 'List what would be removed; remove nothing')
    .action(async flags => (await import('./prune')).pruneCommand(flags, ctx))

  cli.command('pick <name> <n>', 'Choose variant n (1-based) of an asset generated with `variants`')
    .example('ai-assets pick logo 3')
    .action(async (name: string, n: string, flags) => (await import('./pick')).pickCommand(name, n, flags, ctx))

  cli.command('preview', 'Write an HTML contact sheet of every asset and variant')
    .option('--out <file>', 'Where to write it (default: ai-assets-preview.html)')
    .action(async flags => (await import('./preview')).previewCommand(flags, ctx))

  cli.command('types', 'Write ai-assets.d.ts (a declaration per asset) without a build, so that tsc passes before the first build')
    .option('--dts <path>', 'Where to write it, relative to the config (default: ai-assets.d.ts next to it, or the Astro or Nuxt integration\'s file)')
    .example('ai-assets types --dts src/ai-assets.d.ts')
    .action(async flags => (await import('./types')).typesCommand(flags, ctx))

  cli.help()
  cli.version(version())

  try {
    // cac prints help with console.info; keep it on our stdout.
    const info = console.info
    console.info = (...parts: unknown[]) => streams.stdout.write(`${parts.join(' ')}\n`)
    let parsed
    try {
      parsed = cli.parse(['node', 'ai-assets', ...args], { run: false })
    }
    finally {
      console.info = info
    }
    if (parsed.options.help || parsed.options.version)
      return EXIT_OK
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) {
        const [command] = cli.args
        const near = COMMANDS.find(name => name.startsWith(String(command).slice(0, 3)))
        throw new UsageError(`Unknown command "${command}"${near ? ` (did you mean "${near}"?)` : ''}. Commands: ${COMMANDS.join(', ')}; see \`ai-assets --help\``)
      }
      console.info = (...parts: unknown[]) => streams.stdout.write(`${parts.join(' ')}\n`)
      try {
        cli.outputHelp()
      }
      finally {
        console.info = info
      }
      return EXIT_USAGE
    }
    return (await cli.runMatchedCommand()) as number
  }
  catch (error) {
    reporter.stop()
    const { describeError } = await import('./describe-error')
    const { message, code } = describeError(error)
    if (message)
      reporter.warn(`${code === EXIT_USAGE ? 'ai-assets: ' : ''}${message}`)
    return code
  }
}
