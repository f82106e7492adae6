/**
 * What the page shows while the image loads: a tiny blurred copy (`placeholder`),
 * the dominant color, and whether the image has transparency.
 */
import type { DecodedImage } from './decoded'
import { toHex } from '../common/colors'
import { openDecoded } from './decoded'
import { pixelStats } from './pixel-stats'
import { blur, insideBox, shrinkByArea } from './preview-pixels'

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
  const { width, height } = insideBox(image.width, image.height, PREVIEW_SIZE)
  const tiny = await (await openDecoded(blur(shrinkByArea(image, width, height)))).webp({ quality: 40, alphaQuality: 40 }).toBuffer()
  const { dominant, transparent } = pixelStats(image)
  return {
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    color: toHex(dominant),
    transparent,
  }
}
