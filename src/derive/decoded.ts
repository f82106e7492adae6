/**
 * An original decoded once: its pixels, from which every width, every format
 * and the blurred preview of an asset are made. Opening the encoded bytes for
 * each output would decode them again for each one (sharp's `clone()` shares
 * the input, not the decoded image); a raw buffer is decoded once and read by
 * every output. A JPEG or WebP whose outputs are all much smaller is decoded
 * smaller, at the size that covers them (shrink-on-load.ts). It is held only
 * while its asset is derived, one per slot of the pipeline's derivation
 * bound, so memory does not grow with the assets.
 */
import type { Sharp } from 'sharp'
import type { Size } from './shrink-on-load'
import { openImage } from '../common/sharp'
import { shrinkableSize } from './shrink-on-load'

export interface DecodedImage {
  /** sRGB, 8 bits a channel, not premultiplied: what sharp writes as `raw` (colour profiles and CMYK converted). */
  pixels: Buffer
  width: number
  height: number
  /** 3, or 4 when the image has alpha (a grey image becomes sRGB). */
  channels: 1 | 2 | 3 | 4
  /** Set when the pixels were decoded smaller than the original: its size, from which every output is sized. */
  scaledFrom?: Size
}

/**
 * Decodes once; with `trim`, cuts away a uniform border first (README
 * "Config reference", `trim`), so that everything made from it is trimmed.
 */
export async function decodeImage(bytes: Buffer, trim: number | false = false): Promise<DecodedImage> {
  const image = await openImage(bytes)
  const { data, info } = await (trim === false ? image : image.trim({ threshold: trim })).raw().toBuffer({ resolveWithObject: true })
  return { pixels: data, width: info.width, height: info.height, channels: info.channels }
}

/**
 * Decodes at `size` (`coveringSize` of the asset's outputs) when the
 * original's decoder shrinks on load and its header has the size the
 * original is known by (`source`); otherwise in full. The decoder scales by
 * a power of two, sharp's resize (lanczos3, as for any resize of encoded
 * bytes) does the rest, once.
 */
export async function decodeCovering(bytes: Buffer, source: Size, size: Size): Promise<DecodedImage> {
  const header = shrinkableSize(bytes)
  if (!header || header.width !== source.width || header.height !== source.height)
    return decodeImage(bytes)
  const image = await openImage(bytes)
  const { data, info } = await image.resize({ width: size.width, height: size.height, fit: 'fill' }).raw().toBuffer({ resolveWithObject: true })
  return { pixels: data, width: info.width, height: info.height, channels: info.channels, scaledFrom: source }
}

/** A sharp pipeline reading the decoded pixels: nothing is decoded again. */
export function openDecoded(image: DecodedImage): Promise<Sharp> {
  return openImage(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } })
}
