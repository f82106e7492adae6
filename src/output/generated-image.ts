/**
 * The one builder of the `GeneratedImage` an asset import gives (README "What
 * an import gives"): the plugin serializes it into the module code, and
 * `ai-assets build` writes it into `manifest.json`.
 */
import type { AssetImage } from '../core/pipeline'
import type { GeneratedImage } from '../types'
import type { OutputFile } from './emitted-files'
import { MIME_TYPES } from '../derive/formats'
import { srcFile } from './emitted-files'

/** The GeneratedImage of an asset whose files (all of `files`, or only those of one format) are served at `url(file)`. */
export function generatedImage(image: AssetImage, files: OutputFile[], url: (file: OutputFile) => string): GeneratedImage {
  const src = srcFile(image, files)
  const { output } = image.asset
  const srcset = (format: string) => files
    .filter(file => file.derivative.format === format)
    .map(file => `${url(file)} ${file.derivative.width}w`)
    .join(', ')
  return {
    src: url(src),
    width: src.derivative.width,
    height: src.derivative.height,
    format: src.derivative.format,
    srcset: srcset(src.derivative.format),
    // An SVG asset's sanitised `.svg` first, then its raster fallbacks.
    sources: (image.derived.fallback === 'svg' ? ['svg' as const, ...output.formats] : output.formats).map(format => ({ type: MIME_TYPES[format], srcset: srcset(format) })),
    sizes: output.sizes,
    placeholder: image.derived.placeholder,
    color: image.derived.color,
    transparent: image.derived.transparent,
    alt: output.alt,
  }
}
