/**
 * The one interface every provider implements, built-in or custom
 * (`{ name, generate(request, context) }`), modelled on unstorage's drivers.
 */
import type { RGB } from '../common/colors'

export interface GenerateRequest {
  /** Asset name, for error messages. */
  asset: string
  model: string
  prompt: string
  width: number
  height: number
  /** Palette colors as `[r, g, b]`. */
  colors: RGB[]
  background?: RGB
  style?: string
  substyle?: string
  /** The reference image, already read. */
  image?: { path: string, bytes: Buffer, sha256: string }
  /** Image-to-image: how far the result may move from `image`, 0–1 (where the provider documents it). */
  strength?: number
  /** A style the provider made from a brand's references (`createStyle`), sent with the generation. */
  styleId?: string
  /** How many images to return. */
  variants: number
  /** The asset's `providerOptions`, to merge into the wire request. */
  providerOptions: Record<string, unknown>
}

export interface GenerateContext {
  /** Aborts the request (Ctrl-C, a closed dev server). */
  signal: AbortSignal
  /** Where credentials come from; nothing else is read for them. */
  env: Record<string, string | undefined>
  warn: (message: string) => void
  /**
   * Called by the provider once its last paid request of this call has
   * answered, when all that is left is unbilled work: downloading result URLs
   * and decoding the images. The call then stops counting against
   * `concurrency`, so the next generation's request goes out while this one
   * downloads. Await it: it resolves once that request has had its turn, so
   * that downloading this call's images does not hold it up. Optional for a
   * custom provider: one that never calls it holds its slot until it resolves.
   */
  answered?: () => Promise<void>
}

export interface GenerateResult {
  /** One encoded image (PNG, JPEG, WEBP…) per variant, bytes as the provider returned them. */
  images: Buffer[]
  /** What the run cost in USD, when the provider says. */
  cost?: number
}

/** An image handed to a tool (background removal, vectorize): the original as stored. */
export interface ImageToolRequest {
  /** Asset name, for error messages. */
  asset: string
  /** PNG, JPEG, WebP or SVG bytes. */
  image: Buffer
}

export interface ImageToolResult {
  /** The tool's output, bytes as the provider returned them. */
  image: Buffer
  /** USD, when the provider says. */
  cost?: number
}

export interface StyleRequest {
  /** Brand name, for error messages. */
  brand: string
  /** The brand's reference images, already read. */
  references: { path: string, bytes: Buffer, sha256: string }[]
  /** The style is for SVG models (Recraft keeps raster and vector styles apart). */
  vector: boolean
}

export interface StyleResult {
  /** The provider's id of the style, sent with every generation of the brand. */
  styleId: string
  cost?: number
}

export interface Provider {
  name: string
  /** Model id recorded in the lockfile. @default 'custom' */
  model?: string
  /** Environment variables the provider needs; when one is missing the pipeline falls back to a placeholder. */
  credentials?: readonly string[]
  /** Sizes (`WxH`) the model accepts; checked before any call. Any size when absent. */
  sizes?: readonly string[]
  generate: (request: GenerateRequest, context: GenerateContext) => Promise<GenerateResult>
  /** Removes the background of an image (`transparent: true`): alpha PNG/WebP out, or SVG out for SVG in. */
  removeBackground?: (request: ImageToolRequest, context: GenerateContext) => Promise<ImageToolResult>
  /** Turns a raster image into SVG (`vectorize: true`). */
  vectorize?: (request: ImageToolRequest, context: GenerateContext) => Promise<ImageToolResult>
  /** Makes a style from a brand's reference images (`brands`); its id is recorded in the lockfile. */
  createStyle?: (request: StyleRequest, context: GenerateContext) => Promise<StyleResult>
}
