/**
 * Images from a provider are decoded completely, every pixel, before they are
 * handed back to be stored. Reading the header is not enough: the first half of
 * a PNG has a valid header and size, and would be stored, hashed into the
 * lockfile and served as "fresh" forever.
 */
import { decodeEveryPixel, describeBytes, probeImage } from '../common/image-probe'
import { HttpError } from './http-error'

/**
 * Bytes that are not a whole image fail here, before the pipeline writes
 * anything. `retryable`: the bytes came from a GET that may be tried again.
 */
export async function assertImage(bytes: Buffer, what: string, retryable = false): Promise<void> {
  const size = await probeImage(bytes)
  if (!size)
    throw new HttpError(`${what} is not a decodable image (${describeBytes(bytes)})`, undefined, retryable)
  try {
    await decodeEveryPixel(bytes)
  }
  catch (error) {
    throw new HttpError(`${what} is truncated or damaged: its ${size.format ?? 'image'} header says ${size.width}x${size.height}, but the pixels do not decode (${firstLine(error)}; ${describeBytes(bytes)})`, undefined, retryable)
  }
}

/** Decodes `imageBase64Data`/`b64_json`/a data: URI into bytes that must be a whole image. */
export async function decodeImage(value: string, what: string): Promise<Buffer> {
  const base64 = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value
  const bytes = Buffer.from(base64, 'base64')
  await assertImage(bytes, what)
  return bytes
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!.trim()
}
