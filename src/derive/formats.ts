import type { Sharp } from 'sharp'
import type { ImageFormat } from '../types'

/** What an output file may be: a raster derivative, or an SVG asset's sanitised `.svg`. */
export type OutputFormat = ImageFormat | 'svg'

export const MIME_TYPES: Record<OutputFormat, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  png: 'image/png',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
}

/** The file extension each emitted format gets. */
export const EMITTED_EXTENSIONS: Record<OutputFormat, string> = { avif: 'avif', webp: 'webp', png: 'png', jpeg: 'jpg', svg: 'svg' }

/** Encodes with `quality` for the lossy formats; PNG stays lossless. `flatten`: what JPEG's missing alpha becomes. */
export function encode(image: Sharp, format: ImageFormat, quality?: number, flatten: string = '#ffffff'): Sharp {
  switch (format) {
    case 'avif': return image.avif({ quality })
    case 'webp': return image.webp({ quality })
    case 'png': return image.png()
    // JPEG has no alpha: flatten onto white (or a transparent asset's declared background) rather than sharp's black.
    case 'jpeg': return image.flatten({ background: flatten }).jpeg({ quality, mozjpeg: true })
  }
}
