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

/** The header's format and size, or undefined when the bytes have no image header sharp reads. */
export async function probeImage(bytes: Buffer): Promise<ImageHeader | undefined> {
  try {
    const { format, width, height } = await (await openImage(bytes)).metadata()
    return width && height ? { format, width, height } : undefined
  }
  catch {
    return undefined
  }
}

/**
 * Reads every pixel, so that a truncated or damaged file fails: its header
 * alone (the first half of a PNG has a whole one) would pass. failOn 'error'
 * makes libvips fail where by default it fills in the missing pixels.
 */
export async function decodeEveryPixel(bytes: Buffer): Promise<void> {
  await (await openImage(bytes, { failOn: 'error' })).stats()
}

/** `<n> bytes starting "…"`: what came instead of an image, for error messages. */
export function describeBytes(bytes: Buffer, shown = 24): string {
  return `${bytes.length} bytes starting ${JSON.stringify(bytes.subarray(0, shown).toString('latin1'))}`
}
