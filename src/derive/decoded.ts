/**
 * An original decoded once: its pixels, from which every width, every format
 * and the blurred preview of an asset are made. Opening the encoded bytes for
 * each output would decode them again for each one (sharp's `clone()` shares
 * the input, not the decoded image); a raw buffer is decoded once and read by
 * every output. It is held only while its asset is derived, one per slot of
 * the pipeline's derivation bound, so memory does not grow with the assets.
 */
import type { Sharp } from 'sharp'
import { openImage } from '../common/sharp'

export interface DecodedImage {
  /** sRGB, 8 bits a channel, not premultiplied: what sharp writes as `raw` (colour profiles and CMYK converted). */
  pixels: Buffer
  width: number
  height: number
  /** 3, or 4 when the image has alpha (a grey image becomes sRGB). */
  channels: 1 | 2 | 3 | 4
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

/** A sharp pipeline reading the decoded pixels: nothing is decoded again. */
export function openDecoded(image: DecodedImage): Promise<Sharp> {
  return openImage(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } })
}
