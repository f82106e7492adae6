/**
 * `ai-assets build --out DIR [--base URL]`: for static sites without a
 * bundler. Generates what is missing (like `generate`), then writes every
 * derivative under the same content-hashed names the plugin emits, and
 * `manifest.json` mapping each asset name to its GeneratedImage (README "`build --out DIR [--base URL]`").
 */
import type { GeneratedImage } from '../types'
import type { CommandContext } from './context'
import type { GenerateFlags } from './generate'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { createPipeline } from '../core/pipeline'
import { outputFiles } from '../output/emitted-files'
import { generatedImage } from '../output/generated-image'
import { EXIT_FAILURE, EXIT_OK, positiveInteger, UsageError } from './errors'
import { reportRun, runOptions, runWithProgress } from './generate'
import { formatDuration } from './reporter'

export interface BuildFlags extends GenerateFlags {
  out?: unknown
  base?: unknown
  deriveConcurrency?: unknown
}

export const MANIFEST_NAME = 'manifest.json'

/** `--base` as a prefix: empty (URLs relative to DIR), or ending with `/`. */
export function basePrefix(base: string): string {
  return base === '' || base.endsWith('/') ? base : `${base}/`
}

export async function buildCommand(flags: BuildFlags, ctx: CommandContext): Promise<number> {
  if (typeof flags.out !== 'string' || flags.out === '')
    throw new UsageError('build needs --out DIR: the folder to write the images and manifest.json into (e.g. --out public/images)')
  if (flags.base !== undefined && typeof flags.base !== 'string')
    throw new UsageError('--base needs the public URL of the --out folder, e.g. --base /images/')
  const deriveConcurrency = positiveInteger(flags.deriveConcurrency, '--derive-concurrency')
  const outDir = resolve(ctx.cwd, flags.out)
  const prefix = basePrefix((flags.base as string | undefined) ?? '')
  const options = runOptions(ctx, { ...flags, dryRun: false })
  const { reporter } = ctx

  const result = await runWithProgress(ctx, options)
  if (!result.ok) {
    reportRun(ctx, result)
    reporter.warn('Nothing was written: fix the failures above, then build again.')
    return EXIT_FAILURE
  }

  const started = Date.now()
  // Its derivation bound is the only one: images cached are written at once, the others as they are made.
  const pipeline = createPipeline({ ...options, loaded: result.config, deriveConcurrency, warn: () => {} })
  const names = [...result.config.assets.keys()]
  const manifest: Record<string, GeneratedImage> = {}
  let written = 0
  let kept = 0
  reporter.start(names.length)
  let done = 0
  try {
    await Promise.all(names.map(async (name) => {
      reporter.begin(name)
      const image = await pipeline.image(name)
      const files = outputFiles(image, '')
      for (const file of files) {
        const path = join(outDir, file.fileName)
        // Names are content hashes: an existing file already has these bytes.
        if (existsSync(path)) {
          kept++
          continue
        }
        await mkdir(dirname(path), { recursive: true })
        await writeFileAtomic(path, file.derivative.data)
        written++
      }
      manifest[name] = generatedImage(image, files, file => `${prefix}${file.fileName}`)
      reporter.end(name, ++done)
    }))
  }
  finally {
    reporter.stop()
  }

  const sorted = Object.fromEntries(Object.keys(manifest).sort().map(name => [name, manifest[name]]))
  await mkdir(outDir, { recursive: true })
  await writeFileAtomic(join(outDir, MANIFEST_NAME), `${JSON.stringify(sorted, null, 2)}\n`)
  const where = relative(ctx.cwd, outDir) || '.'
  reporter.line(`Wrote ${written} file${written === 1 ? '' : 's'} (${kept} unchanged) and ${MANIFEST_NAME} for ${names.length} asset${names.length === 1 ? '' : 's'} to ${where}/ in ${formatDuration(Date.now() - started)}${prefix ? `; URLs start with ${prefix}` : '; URLs are relative to it (set --base to its public URL)'}`)
  reportRun(ctx, result)
  return EXIT_OK
}
