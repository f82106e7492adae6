/**
 * An image's size read from its header in JavaScript, without sharp: loading
 * sharp's native module costs more than a config load or a derivation's plan
 * should pay to know a size. PNG, JPEG and WebP, the formats reference
 * images and raster originals come in; undefined for anything else. EXIF
 * orientation is not applied: the size is the stored pixels'.
 */

export interface HeaderSize {
  format: 'png' | 'jpeg' | 'webp'
  width: number
  height: number
  /** Whether the header declares an alpha channel or animation (WebP); undefined for PNG and JPEG. */
  alphaOrAnimation?: boolean
}

export function headerSize(bytes: Buffer): HeaderSize | undefined {
  if (bytes[0] === 0xFF && bytes[1] === 0xD8)
    return jpegSize(bytes)
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504E47 && bytes.toString('latin1', 12, 16) === 'IHDR')
    return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
  return webpSize(bytes)
}

/** The frame header's size: the first SOFn segment (C0–CF, but C4, C8 and CC are other markers). */
function jpegSize(bytes: Buffer): HeaderSize | undefined {
  let at = 2
  while (at + 9 < bytes.length && bytes[at] === 0xFF) {
    const marker = bytes[at + 1]!
    if (marker === 0xFF) { // fill byte
      at++
      continue
    }
    if (marker >= 0xC0 && marker <= 0xCF && marker !== 0xC4 && marker !== 0xC8 && marker !== 0xCC)
      return { format: 'jpeg', height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) }
    if (marker === 0xD9 || marker === 0xDA) // end of image, or scan data before any frame header
      return undefined
    at += marker === 0x01 || (marker >= 0xD0 && marker <= 0xD7) ? 2 : 2 + bytes.readUInt16BE(at + 2)
  }
  return undefined
}

/** Lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`, the canvas size). */
function webpSize(bytes: Buffer): HeaderSize | undefined {
  if (bytes.length < 30 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP')
    return undefined
  switch (bytes.toString('latin1', 12, 16)) {
    case 'VP8 ': // a key frame's start code, then 14 bits of width and of height
      return bytes.readUIntBE(23, 3) !== 0x9D012A ? undefined : { format: 'webp', width: bytes.readUInt16LE(26) & 0x3FFF, height: bytes.readUInt16LE(28) & 0x3FFF, alphaOrAnimation: false }
    case 'VP8L': { // the signature byte, then 14 bits of width - 1, of height - 1, and the alpha bit
      if (bytes[20] !== 0x2F)
        return undefined
      const bits = bytes.readUInt32LE(21)
      return { format: 'webp', width: (bits & 0x3FFF) + 1, height: ((bits >>> 14) & 0x3FFF) + 1, alphaOrAnimation: ((bits >>> 28) & 1) === 1 }
    }
    case 'VP8X': // flags (alpha 0x10, animation 0x02), then 24 bits of width - 1 and of height - 1
      return { format: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1, alphaOrAnimation: (bytes[20]! & 0x12) !== 0 }
  }
  return undefined
}
