/**
 * The format of the `<img>` fallback (README "Picture components"): one every
 * browser shows, so never avif, and never a second copy of what `formats`
 * already emits when that can be avoided.
 */
import type { OutputSpec } from '../config/resolve'
import type { ImageFormat } from '../types'

/**
 * `fallbackFormat` when set; else the png or jpeg that `formats` already has
 * (png for a transparent image when it has both); else png for a transparent
 * image (jpeg would flatten it onto white) and jpeg for an opaque one.
 */
export function fallbackFormat(output: Pick<OutputSpec, 'formats' | 'fallbackFormat'>, transparent: boolean): ImageFormat {
  if (output.fallbackFormat)
    return output.fallbackFormat
  const preferred: ImageFormat = transparent ? 'png' : 'jpeg'
  const universal = output.formats.filter(format => format === 'png' || format === 'jpeg')
  if (universal.length === 0 || universal.includes(preferred))
    return preferred
  return universal[0]!
}

/**
 * Whether `fit: 'contain'` pads the base to `aspect`: the padding is transparent
 * in every format but jpeg, so the image is no longer opaque.
 */
export function padsToAspect(output: Pick<OutputSpec, 'aspect' | 'fit'>, width: number, height: number): boolean {
  return output.fit === 'contain' && output.aspect !== undefined && Math.round(height * output.aspect) !== width
}
