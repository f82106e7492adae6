import type { RGB } from './colors'
import { canonicalJson } from './canonical-json'
import { toHex } from './colors'
import { sha256 } from './hash'

/** Bump when the meaning of a key's inputs changes, so that every asset regenerates. */
export const KEY_FORMAT_VERSION = 1

/** Every input that changes the generated image, and nothing else (README "Config reference": the fields that change the image). */
export interface GenerationInputs {
  provider: string
  model: string
  prompt: string
  width: number
  height: number
  colors: RGB[]
  background?: RGB
  style?: string
  substyle?: string
  /** sha256 of the reference image's bytes. */
  image?: string
  providerOptions: Record<string, unknown>
  variants: number
  /** An SVG from the provider's vector model (`model` is that model). Absent when false, so older keys hold. */
  vector?: true
  /** The background is removed after generation; the result is the original. */
  transparent?: true
  /** A raster original turned into SVG. */
  vectorize?: true
  /** Image-to-image: how far from the reference image. */
  strength?: number
  /** sha256 of each reference file of the asset's brand, in order: a changed reference makes the asset stale. */
  brand?: string[]
}

/** The generation key: sha256 of the canonical JSON of the inputs. */
export function generationKey(inputs: GenerationInputs): string {
  return sha256(canonicalJson({ ...inputs, formatVersion: KEY_FORMAT_VERSION }))
}

/**
 * The generation inputs as a lock entry records them (`inputs`): the same
 * fields, colors written `#rrggbb` so that the lockfile stays short. Never
 * credentials: they are not inputs.
 */
export interface RecordedInputs extends Omit<GenerationInputs, 'colors' | 'background'> {
  colors: string[]
  background?: string
}

export function recordInputs(inputs: GenerationInputs): RecordedInputs {
  return { ...inputs, colors: inputs.colors.map(toHex), background: inputs.background && toHex(inputs.background) }
}
