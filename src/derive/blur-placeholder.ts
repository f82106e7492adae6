/**
 * What the page shows while the image loads: a tiny blurred copy (`placeholder`),
 * the dominant color, and whether the image has transparency.
 */
import { toHex } from '../shared/colors'
import { openImage } from '../shared/sharp'

/** Longest side of the blurred preview; small enough to stay well under 1 KB as a data URL. */
const PREVIEW_SIZE = 16

export interface BlurPlaceholder {
  /** `data:image/webp;base64,…` of a tiny blurred image. */
  placeholder: string
  /** Dominant color, `#rrggbb`. */
  color: string
  /** Whether any pixel is not fully opaque. */
  transparent: boolean
}

export async function blurPlaceholder(source: Buffer): Promise<BlurPlaceholder> {
  const image = await openImage(source)
  const [tiny, stats] = await Promise.all([
    image.clone().resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside' }).blur(0.6).webp({ quality: 40, alphaQuality: 40 }).toBuffer(),
    image.clone().stats(),
  ])
  const { r, g, b } = stats.dominant
  return {
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    color: toHex([r, g, b]),
    transparent: !stats.isOpaque,
  }
}
