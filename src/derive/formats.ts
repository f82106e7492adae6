import type { Sharp } from 'sharp'
import type { ImageFormat } from '../types'

export const MIME_TYPES: Record<ImageFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  png: 'image/png',
  jpeg: 'image/jpeg',
}

/** The file extension each emitted format gets. */
export const EMITTED_EXTENSIONS: Record<ImageFormat, string> = { avif: 'avif', webp: 'webp', png: 'png', jpeg: 'jpg' }

/** Encodes with `quality` for the lossy formats; PNG stays lossless. */
export function encode(image: Sharp, format: ImageFormat, quality?: number): Sharp {
  switch (format) {
    case 'avif': return image.avif({ quality })
    case 'webp': return image.webp({ quality })
    case 'png': return image.png()
    // JPEG has no alpha: flatten onto white rather than sharp's black.
    case 'jpeg': return image.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true })
  }
}
