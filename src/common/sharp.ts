import type { Sharp, SharpOptions } from 'sharp'
import { channel } from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Every sharp pipeline of the project starts here and is announced on this
 * diagnostics channel (free when nobody listens), so that a test or a
 * profiler can see that a warm build does no image work at all, and how
 * often encoded bytes are decoded (`input: 'buffer'`) against pipelines
 * reading pixels already decoded (`input: 'pixels'`). `data` is the input
 * Buffer itself, so that a test can hold it weakly and see that nothing keeps
 * an original or its pixels once its asset is derived.
 */
export const SHARP_CHANNEL = 'unplugin-ai-assets:sharp'
const opened = channel(SHARP_CHANNEL)

let sharp: typeof import('sharp').default | undefined

/**
 * sharp is loaded on first use: a warm build never needs it, and loading its
 * native module costs more than such a build.
 */
export async function openImage(input?: Buffer | string, options?: SharpOptions): Promise<Sharp> {
  if (opened.hasSubscribers)
    opened.publish({ input: typeof input === 'string' ? input : options?.raw ? 'pixels' : input ? 'buffer' : 'new image', data: Buffer.isBuffer(input) ? input : undefined })
  return (await loadSharp())(input, options)
}

/** Starts loading sharp ahead of need, e.g. while the first provider requests are in flight. */
export async function loadSharp(): Promise<typeof import('sharp').default> {
  return (sharp ??= (await import('sharp')).default)
}

/** Part of every derivative cache key: another sharp (and its libvips) may encode other bytes. */
export const SHARP_VERSION: string = packageVersion('sharp')

/** A package's version without loading it (sharp does not export its package.json). */
function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name))
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      if (manifest.name === name)
        return manifest.version
    }
    catch {}
    if (dir === dirname(dir))
      throw new Error(`cannot find the version of ${name}`)
    dir = dirname(dir)
  }
}
