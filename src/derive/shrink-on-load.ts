/**
 * Decoding smaller than the original: libjpeg can decode a JPEG at 1/2, 1/4
 * or 1/8 of its size straight from the DCT coefficients, and libwebp can
 * scale a WebP while decoding it, both far cheaper than decoding every pixel
 * and resizing afterwards (sharp does it on its own when asked to resize
 * encoded bytes: "shrink-on-load"). When every output of an asset is much
 * smaller than its original, the original is decoded once at the smallest
 * size that covers all of them (`coveringSize`) and every output is made from
 * those pixels, sized as if made from the original itself (`scaledHeight`).
 * PNG, AVIF and the rest have no such decoder: they are decoded in full.
 */
import type { Fit } from '../types'
import { headerSize } from '../common/image-size'

export interface Size {
  width: number
  height: number
}

/** The formats, as store files name them, whose decoders shrink on load. */
const SHRINKING_FORMATS = new Set(['jpg', 'jpeg', 'webp'])

export function shrinksOnLoadFormat(format: string | undefined): boolean {
  return format !== undefined && SHRINKING_FORMATS.has(format.toLowerCase())
}

/**
 * The height sharp (libvips) gives a resize of `source` to `width`, its
 * aspect kept: the source height scaled by 1 / (source width / width),
 * rounded half up, in the same double arithmetic (libvips `vips_resize`),
 * and never below one pixel.
 */
export function scaledHeight(source: Size, width: number): number {
  return Math.max(1, Math.floor(source.height * (1 / (source.width / width)) + 0.5))
}

/**
 * The smallest size, in the source's aspect, from which every operation can
 * be made as from the source itself; undefined when it is not worth it (it
 * would keep more than a quarter of the pixels) or not exact (a box with
 * `fit: 'inside'` or `'outside'`, whose size depends on the source's own
 * rounding).
 */
export function coveringSize(operations: { width: number, height?: number, fit: Fit }[], source: Size): Size | undefined {
  if (operations.length === 0 || operations.some(op => op.height !== undefined && (op.fit === 'inside' || op.fit === 'outside')))
    return undefined
  // A box (`aspect`) must be covered in height too: the width at which the source is as tall as the box.
  const width = Math.max(...operations.map(op => op.height === undefined ? op.width : Math.max(op.width, Math.ceil(op.height * source.width / source.height))))
  if (width * 2 > source.width)
    return undefined
  return { width, height: scaledHeight(source, width) }
}

/**
 * The size in the header of a JPEG, or of a WebP without alpha (a scaled
 * alpha channel would blur away the single transparent pixel that makes an
 * image `transparent`) or animation; undefined for anything else, which is
 * decoded in full. EXIF orientation is not applied, as by every decode here.
 */
export function shrinkableSize(bytes: Buffer): Size | undefined {
  const header = headerSize(bytes)
  if (!header || header.format === 'png' || header.alphaOrAnimation)
    return undefined
  return { width: header.width, height: header.height }
}
