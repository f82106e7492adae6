/**
 * From an original to everything an import needs: every width × format, the
 * `<img>` fallback's widths, the blurred preview and the dominant color. Each
 * piece is cached on its own, so a warm build reads bytes from the cache and
 * never opens the original. When something is missing, the original is
 * decoded once and every missing piece is made from those pixels, inside the
 * caller's derivation bound (`limit`); cache reads never wait for it.
 */
import type { OutputSpec } from '../config/resolve'
import type { BlurPlaceholder } from './blur-placeholder'
import type { DerivativeCache } from './cache'
import type { DecodedImage } from './decoded'
import type { OutputFormat } from './formats'
import type { ResizeOperation } from './resize'
import type { Size } from './shrink-on-load'
import { channel } from 'node:diagnostics_channel'
import { toHex } from '../common/colors'
import { isSvg } from '../providers/svg-bytes'
import { blurPlaceholder } from './blur-placeholder'
import { derivativeKey, previewKey, svgKey, trimKey } from './cache-keys'
import { decodeCovering, decodeImage } from './decoded'
import { fallbackFormat, padsToAspect } from './fallback'
import { resize } from './resize'
import { coveringSize, shrinksOnLoadFormat } from './shrink-on-load'
import { safeSvg } from './svg'

export interface Derivative {
  /** `'svg'`: an SVG asset's sanitised and optimised `.svg`, the only one of its kind. */
  format: OutputFormat
  width: number
  height: number
  data: Buffer
  /**
   * Reads the same bytes again from the derivative cache, where every
   * derivative is (undefined if its entry is gone or damaged): for a holder
   * that would rather not keep them in memory, such as the dev server.
   */
  reread: () => Promise<Buffer | undefined>
}

/** Reads an entry's bytes again (Derivative.reread). */
function rereader(cache: DerivativeCache, key: string): () => Promise<Buffer | undefined> {
  return async () => (await cache.get<unknown>(key))?.data
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

/** Runs work that decodes or encodes within a bound (the pipeline's), and gives its result. */
export type Limit = <T>(work: () => Promise<T>) => Promise<T>

export interface DeriveInput {
  /** sha256 of the original: with the operation and sharp's version, it keys every cache entry. */
  sha256: string
  width: number
  height: number
  /** Reads the original; called only when something must be made. */
  load: () => Promise<Buffer>
  /**
   * The original's format when known without reading it (its store file's
   * extension): a JPEG or WebP may be decoded smaller (shrink-on-load.ts).
   */
  format?: string
  output: OutputSpec
  cache: DerivativeCache
  /** Where the decoding and encoding run: at most so many at once. @default no bound */
  limit?: Limit
}

const noLimit: Limit = work => work()

/**
 * Announces each derivation as it starts and ends (`{ id, phase: 'start' | 'end' }`,
 * `id` naming the decoded image): how many run at once, for a test or a
 * profiler. Free when nobody listens.
 */
export const DERIVE_CHANNEL = 'unplugin-ai-assets:derive'
const derivations = channel(DERIVE_CHANNEL)

export async function deriveImage(input: DeriveInput): Promise<DerivedImage> {
  if (input.output.svg) {
    const svg = await shippedSvg(input)
    // The original may be a raster after all (an offline placeholder, a provider that answered PNG): judged by its bytes.
    if (svg)
      return deriveFromSvg(input, svg)
  }
  const { output, cache, sha256 } = input
  const { trim } = output
  // The trimmed size is known once the original has been trimmed once.
  const size = trim === false ? { width: input.width, height: input.height } : await cache.info<Size>(trimKey(sha256, trim))
  // Trimming needs every pixel; otherwise a JPEG or WebP is decoded at the size its outputs need, when much smaller.
  const covering = trim === false && shrinksOnLoadFormat(input.format) ? coveringSize(operations(output, size!.width, size!.height), size!) : undefined
  // The pixels every piece is made from: their size is part of the name, since the same width made from other pixels is other bytes.
  const id = trim !== false ? `${sha256}+trim${trim}` : covering ? `${sha256}@${covering.width}x${covering.height}` : sha256
  return fromCacheOrDecoded({
    id,
    cache,
    limit: input.limit,
    size,
    plan: (base, preview) => {
      const transparent = preview.transparent || padsToAspect(output, base.width, base.height)
      const fallback = fallbackFormat(output, transparent)
      // The fallback's widths come after the configured formats, unless `formats` already has it.
      const formats = output.formats.includes(fallback) ? output.formats : [...output.formats, fallback]
      return { operations: operations({ ...output, formats }, base.width, base.height), transparent, fallback }
    },
    decode: async () => {
      if (covering)
        return decodeCovering(await input.load(), size!, covering)
      const decoded = await decodeImage(await input.load(), trim)
      if (trim !== false && !size)
        await cache.put<Size>(trimKey(sha256, trim), Buffer.alloc(0), { width: decoded.width, height: decoded.height })
      return decoded
    },
  })
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

interface Plan {
  operations: ResizeOperation[]
  transparent: boolean
  fallback: OutputFormat
}

interface Pieces {
  /** Names the decoded image in cache keys: the original's sha256, with what was done to it first. */
  id: string
  cache: DerivativeCache
  limit?: Limit
  /** Of the decoded image, when known without decoding. */
  size?: Size
  /** What to make, from the decoded image's size and its preview (is it transparent?). */
  plan: (size: Size, preview: BlurPlaceholder) => Plan
  decode: () => Promise<DecodedImage>
}

/**
 * Reads every piece from the cache; if any is missing, takes a slot of the
 * bound, decodes once and makes what is missing from the same pixels (the
 * outputs of one asset are encoded in parallel: sharp runs them on libuv's
 * threads, see core/pipeline.ts).
 */
async function fromCacheOrDecoded(pieces: Pieces): Promise<DerivedImage> {
  const { id, cache } = pieces
  const keyOf = (op: ResizeOperation) => derivativeKey(id, op)
  const rereadOf = (op: ResizeOperation) => rereader(cache, keyOf(op))
  const previewEntryKey = previewKey(id)
  const readPreview = async () => {
    const entry = await cache.get<null>(previewEntryKey)
    return entry && JSON.parse(entry.data.toString()) as BlurPlaceholder
  }

  const preview = pieces.size && await readPreview()
  const plan = pieces.size && preview && pieces.plan(pieces.size, preview)
  const cached = plan ? await Promise.all(plan.operations.map(op => cache.get<Size>(keyOf(op)))) : []
  if (plan && preview && cached.every(Boolean))
    return assemble(preview, plan, cached as { data: Buffer, metadata: Size }[], rereadOf)

  return (pieces.limit ?? noLimit)(async () => {
    derivations.publish({ id, phase: 'start' })
    try {
      const decoded = await pieces.decode()
      let made = preview
      if (!made) {
        made = await blurPlaceholder(decoded)
        await cache.put(previewEntryKey, Buffer.from(JSON.stringify(made)), null)
      }
      const full = plan ?? pieces.plan(pieces.size ?? { width: decoded.width, height: decoded.height }, made)
      const entries = await Promise.all(full.operations.map(async (op, i) => cached[i] ?? cache.through(keyOf(op), () => resize(decoded, op))))
      return assemble(made, full, entries, rereadOf)
    }
    finally {
      derivations.publish({ id, phase: 'end' })
    }
  })
}

function assemble(preview: BlurPlaceholder, plan: Plan, entries: { data: Buffer, metadata: Size }[], reread: (op: ResizeOperation) => Derivative['reread']): DerivedImage {
  const derivatives = plan.operations.map((op, i) => ({ format: op.format, width: entries[i]!.metadata.width, height: entries[i]!.metadata.height, data: entries[i]!.data, reread: reread(op) }))
  return { ...preview, transparent: plan.transparent, fallback: plan.fallback, derivatives }
}

/**
 * The sanitised `.svg` of an SVG original (svg.ts), cached by the original's
 * sha256 (cache-keys.ts); undefined when the original is not SVG.
 */
async function shippedSvg(input: DeriveInput): Promise<Derivative | undefined> {
  const entry = await input.cache.through<{ svg: boolean, width: number, height: number }>(svgKey(input.sha256), () => (input.limit ?? noLimit)(async () => {
    const original = await input.load()
    if (!isSvg(original))
      return { data: Buffer.alloc(0), metadata: { svg: false, width: 0, height: 0 } }
    const { markup } = await safeSvg(original)
    return { data: Buffer.from(markup), metadata: { svg: true, width: input.width, height: input.height } }
  }))
  return entry.metadata.svg ? { format: 'svg', width: entry.metadata.width, height: entry.metadata.height, data: entry.data, reread: rereader(input.cache, svgKey(input.sha256)) } : undefined
}

/**
 * An SVG asset: its `.svg` is the `<img>`, and the raster formats beside it
 * are rendered from the sanitised markup (what ships is what is drawn), once,
 * then resized to the configured widths, keeping the alpha. `trim` and
 * `aspect` shape the rasters only: the SVG ships as the designer approved it.
 */
async function deriveFromSvg(input: DeriveInput, svg: Derivative): Promise<DerivedImage> {
  const rasters = await fromCacheOrDecoded({
    id: `${input.sha256}+svg`,
    cache: input.cache,
    limit: input.limit,
    size: { width: input.width, height: input.height },
    plan: (size, preview) => ({ operations: operations(input.output, size.width, size.height), transparent: preview.transparent, fallback: 'svg' }),
    decode: () => decodeImage(svg.data),
  })
  return { ...rasters, derivatives: [svg, ...rasters.derivatives] }
}
