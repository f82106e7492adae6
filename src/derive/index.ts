/**
 * From an original to everything an import needs: every width × format, the
 * `<img>` fallback's widths, the blurred preview and the dominant color. Each
 * piece is cached on its own, so a warm build reads bytes from the cache and
 * never opens the original.
 */
import type { OutputSpec } from '../config/resolve'
import type { ImageFormat } from '../types'
import type { BlurPlaceholder } from './blur-placeholder'
import type { DerivativeCache } from './cache'
import type { ResizeOperation } from './resize'
import { canonicalJson } from '../shared/canonical-json'
import { openImage, SHARP_VERSION } from '../shared/sharp'
import { blurPlaceholder } from './blur-placeholder'
import { fallbackFormat, padsToAspect } from './fallback'
import { resize } from './resize'

export interface Derivative {
  format: ImageFormat
  width: number
  height: number
  data: Buffer
}

export interface DerivedImage extends BlurPlaceholder {
  /**
   * Every width of every format, formats in the configured order, widths
   * ascending; then the fallback's widths when `formats` does not have it.
   */
  derivatives: Derivative[]
  /** The format of the `<img>` fallback (fallback.ts). */
  fallback: ImageFormat
}

export interface DeriveInput {
  /** sha256 of the original: with the operation and sharp's version, it keys every cache entry. */
  sha256: string
  width: number
  height: number
  /** Reads the original; called only when something must be made. */
  load: () => Promise<Buffer>
  output: OutputSpec
  cache: DerivativeCache
}

export async function deriveImage(input: DeriveInput): Promise<DerivedImage> {
  const base = await trimmed(input)
  const derive = (formats: ImageFormat[]) => Promise.all(operations({ ...input.output, formats }, base.width, base.height).map(async (op) => {
    const { data, metadata } = await input.cache.through(`derivative:${base.id}:${canonicalJson(op)}:${SHARP_VERSION}`, async () => resize(await base.load(), op))
    return { format: op.format, width: metadata.width, height: metadata.height, data }
  }))
  // v2: the entry gained `transparent`, which older entries lack.
  const previewMade = input.cache.through<null>(`preview:v2:${base.id}:${SHARP_VERSION}`, async () => ({
    data: Buffer.from(JSON.stringify(await blurPlaceholder(await base.load()))),
    metadata: null,
  })).then(entry => JSON.parse(entry.data.toString()) as BlurPlaceholder)
  // The fallback's format waits for the preview (is the image transparent?); the configured formats need not.
  const fallbackMade = previewMade.then(async (made) => {
    const transparent = made.transparent || padsToAspect(input.output, base.width, base.height)
    const fallback = fallbackFormat(input.output, transparent)
    return { transparent, fallback, derivatives: input.output.formats.includes(fallback) ? [] : await derive([fallback]) }
  })
  const [made, configured, extra] = await Promise.all([previewMade, derive(input.output.formats), fallbackMade])
  return { ...made, transparent: extra.transparent, fallback: extra.fallback, derivatives: [...configured, ...extra.derivatives] }
}

/** Each width × format, widths clamped so that neither side exceeds the base (never upscale). */
export function operations(output: OutputSpec, width: number, height: number): ResizeOperation[] {
  const maxWidth = output.aspect ? Math.min(width, Math.floor(height * output.aspect)) : width
  const widths = [...new Set(output.widths.map(w => Math.min(w, maxWidth)))].sort((a, b) => a - b)
  return output.formats.flatMap(format => widths.map(w => ({
    width: w,
    height: output.aspect ? Math.round(w / output.aspect) : undefined,
    format,
    quality: output.quality,
    fit: output.fit,
  })))
}

/** The original, or its trimmed PNG when `trim` is set (cached, with its new size). */
async function trimmed(input: DeriveInput) {
  const { trim } = input.output
  let bytes: Promise<Buffer> | undefined
  const loadOriginal = () => (bytes ??= input.load())
  if (trim === false)
    return { id: input.sha256, width: input.width, height: input.height, load: loadOriginal }

  const key = `trim:${input.sha256}:${trim}:${SHARP_VERSION}`
  const made = await input.cache.through(key, async () => {
    const { data, info } = await (await openImage(await loadOriginal())).trim({ threshold: trim }).png().toBuffer({ resolveWithObject: true })
    return { data, metadata: { width: info.width, height: info.height } }
  })
  return { id: `${input.sha256}+trim${trim}`, width: made.metadata.width, height: made.metadata.height, load: async () => made.data }
}
