import type { Fit, ImageFormat } from '../types'
import type { DecodedImage } from './decoded'
import { openDecoded } from './decoded'
import { encode } from './formats'
import { scaledHeight } from './shrink-on-load'

export interface ResizeOperation {
  width: number
  /** Set when `aspect` gives a box of its own; otherwise the source's aspect is kept. */
  height?: number
  format: ImageFormat
  quality?: number
  fit: Fit
  /** JPEG only: the colour its missing alpha becomes, `#rrggbb`. @default '#ffffff' */
  flatten?: string
}

/**
 * One derivative of the decoded original: resize into the box, then encode.
 * Never enlarges. From pixels decoded smaller than the original, a width
 * gets the height a resize of the original would give it, not one rounded
 * from the smaller pixels' own height.
 */
export async function resize(source: DecodedImage, op: ResizeOperation) {
  const exact = source.scaledFrom && op.height === undefined
  const { data, info } = await encode(
    (await openDecoded(source)).resize({
      width: op.width,
      height: exact ? scaledHeight(source.scaledFrom!, op.width) : op.height,
      fit: exact ? 'fill' : op.fit,
      background: { r: 0, g: 0, b: 0, alpha: 0 },
      withoutEnlargement: true,
    }),
    op.format,
    op.quality,
    op.flatten,
  ).toBuffer({ resolveWithObject: true })
  return { data, metadata: { width: info.width, height: info.height } }
}
