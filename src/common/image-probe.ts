/**
 * What an image's header says, for the two checks made on bytes before they
 * are trusted: a provider's answer (`providers/decode.ts`, which then decodes
 * every pixel) and an original about to be stored (`core/store.ts`).
 */
import { openImage } from './sharp'

export interface ImageHeader {
  /** sharp's name of the format: `png`, `jpeg`, `webp`… */
  format?: string
  width: number
  height: number
}

// The headers of Buffers probed already: the provider's check, then the store's, read the same bytes.
const probed = new WeakMap<Buffer, ImageHeader | undefined>()

/** The header's format and size, or undefined when the bytes have no image header sharp reads. */
export async function probeImage(bytes: Buffer): Promise<ImageHeader | undefined> {
  if (probed.has(bytes))
    return probed.get(bytes)
  let header: ImageHeader | undefined
  try {
    const { format, width, height } = await (await openImage(bytes)).metadata()
    header = width && height ? { format, width, height } : undefined
  }
  catch {
    header = undefined
  }
  probed.set(bytes, header)
  return header
}

// Buffers this process has decoded in full: a provider's download is decoded to retry a broken one,
// then the same bytes reach the store's own check, which need not decode them a second time.
const decoded = new WeakSet<Buffer>()

/**
 * Reads every pixel, so that a truncated or damaged file fails: its header
 * alone (the first half of a PNG has a whole one) would pass. failOn 'error'
 * makes libvips fail where by default it fills in the missing pixels.
 * Reduced to 8×8 with a kernel that weighs every input pixel, so that the
 * decoder must deliver them all, down to the last row: the full-size raw
 * pixels (3 MB for a 1024² photo) would be copied into a Buffer only to be
 * thrown away, and those copies, one per image of a run, kept the garbage
 * collector busy. A nearest-neighbour reduction would not do: it skips the
 * last rows, and a PNG cut there would pass. (`stats()` reads every pixel
 * too, at several times the cost.)
 */
export async function decodeEveryPixel(bytes: Buffer): Promise<void> {
  if (decoded.has(bytes))
    return
  await (await openImage(bytes, { failOn: 'error' })).resize(8, 8, { fit: 'fill', kernel: 'lanczos3', fastShrinkOnLoad: false }).raw().toBuffer()
  decoded.add(bytes)
}

/** `<n> bytes starting "…"`: what came instead of an image, for error messages. */
export function describeBytes(bytes: Buffer, shown = 24): string {
  return `${bytes.length} bytes starting ${JSON.stringify(bytes.subarray(0, shown).toString('latin1'))}`
}
