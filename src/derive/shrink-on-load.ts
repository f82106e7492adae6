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
 * image `transparent`); undefined for anything else, which is decoded in
 * full. EXIF orientation is not applied, as by every decode here.
 */
export function shrinkableSize(bytes: Buffer): Size | undefined {
  return bytes[0] === 0xFF && bytes[1] === 0xD8 ? jpegSize(bytes) : opaqueWebpSize(bytes)
}

/** The frame header's size: the first SOFn segment (C0–CF, but C4, C8 and CC are other markers). */
function jpegSize(bytes: Buffer): Size | undefined {
  let at = 2
  while (at + 9 < bytes.length && bytes[at] === 0xFF) {
    const marker = bytes[at + 1]!
    if (marker === 0xFF) { // fill byte
      at++
      continue
    }
    if (marker >= 0xC0 && marker <= 0xCF && marker !== 0xC4 && marker !== 0xC8 && marker !== 0xCC)
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) }
    if (marker === 0xD9 || marker === 0xDA) // end of image, or scan data before any frame header
      return undefined
    at += marker === 0x01 || (marker >= 0xD0 && marker <= 0xD7) ? 2 : 2 + bytes.readUInt16BE(at + 2)
  }
  return undefined
}

/** A WebP's size when it has no alpha: lossy (`VP8 `), lossless without alpha (`VP8L`), extended without the alpha or animation flags (`VP8X`). */
function opaqueWebpSize(bytes: Buffer): Size | undefined {
  if (bytes.length < 30 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP')
    return undefined
  switch (bytes.toString('latin1', 12, 16)) {
    case 'VP8 ': // a key frame's start code, then 14 bits of width and of height
      return bytes.readUIntBE(23, 3) !== 0x9D012A ? undefined : { width: bytes.readUInt16LE(26) & 0x3FFF, height: bytes.readUInt16LE(28) & 0x3FFF }
    case 'VP8L': { // the signature byte, then 14 bits of width - 1, of height - 1, and the alpha bit
      if (bytes[20] !== 0x2F)
        return undefined
      const bits = bytes.readUInt32LE(21)
      return (bits >>> 28) & 1 ? undefined : { width: (bits & 0x3FFF) + 1, height: ((bits >>> 14) & 0x3FFF) + 1 }
    }
    case 'VP8X': // flags (alpha 0x10, animation 0x02), then 24 bits of width - 1 and of height - 1
      return bytes[20]! & 0x12 ? undefined : { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 }
  }
  return undefined
}
