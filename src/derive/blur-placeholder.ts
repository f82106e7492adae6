/**
 * What the page shows while the image loads: a tiny blurred copy (`placeholder`),
 * the dominant color, and whether the image has transparency.
 */
import type { DecodedImage } from './decoded'
import { toHex } from '../common/colors'
import { openDecoded } from './decoded'
import { pixelStats } from './pixel-stats'

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

export async function blurPlaceholder(image: DecodedImage): Promise<BlurPlaceholder> {
  const tiny = await (await openDecoded(image)).resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside' }).blur(0.6).webp({ quality: 40, alphaQuality: 40 }).toBuffer()
  const { dominant, transparent } = pixelStats(image)
  return {
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    color: toHex(dominant),
    transparent,
  }
}
