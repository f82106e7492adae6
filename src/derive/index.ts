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
import type { OutputFormat } from './formats'
import type { ResizeOperation } from './resize'
import { isSvg } from '../providers/svg-bytes'
import { canonicalJson } from '../shared/canonical-json'
import { toHex } from '../shared/colors'
import { openImage, SHARP_VERSION } from '../shared/sharp'
import { blurPlaceholder } from './blur-placeholder'
import { fallbackFormat, padsToAspect } from './fallback'
import { resize } from './resize'
import { safeSvg } from './svg'

export interface Derivative {
  /** `'svg'`: an SVG asset's sanitised and optimised `.svg`, the only one of its kind. */
  format: OutputFormat
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
  /** The format of the `<img>` fallback (fallback.ts); `'svg'` when an SVG ships, which every browser shows. */
  fallback: OutputFormat
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
  if (input.output.svg) {
    const svg = await shippedSvg(input)
    // The original may be a raster after all (an offline placeholder, a provider that answered PNG): judged by its bytes.
    if (svg)
      return deriveFromSvg(input, svg)
  }
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
    ...(format === 'jpeg' && output.flatten ? { flatten: toHex(output.flatten) } : {}),
  })))
}

/**
 * The sanitised `.svg` of an SVG original (svg.ts), cached by the original's
 * sha256; undefined when the original is not SVG. `v1`: the sanitiser's rules,
 * bumped when they change so that no markup made under older rules is served.
 */
async function shippedSvg(input: DeriveInput): Promise<Derivative | undefined> {
  const entry = await input.cache.through<{ svg: boolean, width: number, height: number }>(`svg:v1:${input.sha256}`, async () => {
    const original = await input.load()
    if (!isSvg(original))
      return { data: Buffer.alloc(0), metadata: { svg: false, width: 0, height: 0 } }
    const { markup } = await safeSvg(original)
    return { data: Buffer.from(markup), metadata: { svg: true, width: input.width, height: input.height } }
  })
  return entry.metadata.svg ? { format: 'svg', width: entry.metadata.width, height: entry.metadata.height, data: entry.data } : undefined
}

/**
 * An SVG asset: its `.svg` is the `<img>`, and the raster formats beside it
 * are rendered from the sanitised markup (what ships is what is drawn) at
 * the configured widths, keeping the alpha. `trim` and `aspect` shape the
 * rasters only: the SVG ships as the designer approved it.
 */
async function deriveFromSvg(input: DeriveInput, svg: Derivative): Promise<DerivedImage> {
  const id = `${input.sha256}+svg`
  const rasters = await Promise.all(operations(input.output, input.width, input.height).map(async (op) => {
    const { data, metadata } = await input.cache.through(`derivative:${id}:${canonicalJson(op)}:${SHARP_VERSION}`, async () => resize(svg.data, op))
    return { format: op.format, width: metadata.width, height: metadata.height, data }
  }))
  const made = await input.cache.through<null>(`preview:v2:${id}:${SHARP_VERSION}`, async () => ({
    data: Buffer.from(JSON.stringify(await blurPlaceholder(svg.data))),
    metadata: null,
  })).then(entry => JSON.parse(entry.data.toString()) as BlurPlaceholder)
  return { ...made, fallback: 'svg', derivatives: [svg, ...rasters] }
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
