/**
 * The one interface every provider implements, built-in or custom
 * (`{ name, generate(request, context) }`), modelled on unstorage's drivers.
 */
import type { RGB } from '../shared/colors'

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
}

export interface GenerateResult {
  /** One encoded image (PNG, JPEG, WEBP…) per variant, bytes as the provider returned them. */
  images: Buffer[]
  /** What the run cost in USD, when the provider says. */
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
}
