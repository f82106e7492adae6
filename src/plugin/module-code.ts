/**
 * The JavaScript an `~ai-assets/…` import loads. URLs are expressions given
 * by the bundler adapter (`import.meta.ROLLUP_FILE_URL_…`, a public path plus
 * a file name…), so this file knows nothing of any bundler.
 */
import type { AssetImage } from '../core/pipeline'
import type { Derivative } from '../derive/index'
import type { GeneratedImage } from '../types'
import { sha256 } from '../core/key'
import { EXTENSIONS, MIME_TYPES } from '../derive/formats'

export interface OutputFile {
  /** Path inside the output folder, content-hashed: `<dir>/<name>-<width>.<hash8>.<ext>`. */
  fileName: string
  derivative: Derivative
}

/** The same bytes always get the same name, in every bundler and in client and SSR builds. */
export function outputFiles(image: AssetImage, dir: string): OutputFile[] {
  const prefix = dir ? `${dir.replace(/\/+$/, '')}/` : ''
  return image.derived.derivatives.map(derivative => ({
    fileName: `${prefix}${image.asset.name}-${derivative.width}.${sha256(derivative.data).slice(0, 8)}.${EXTENSIONS[derivative.format]}`,
    derivative,
  }))
}

/** The largest width of the `<img>` fallback's format: what `src` points at. */
export function srcFile(image: AssetImage, files: OutputFile[]): OutputFile {
  return files.filter(f => f.derivative.format === image.derived.fallback).at(-1)!
}

/**
 * `export default` a GeneratedImage (or, for `?url`, its src). `url` turns an
 * output file into a JS expression evaluating to its URL.
 */
export function moduleCode(image: AssetImage, files: OutputFile[], urlOnly: boolean, url: (file: OutputFile) => string): string {
  const src = srcFile(image, files)
  if (urlOnly)
    return `export default ${url(src)};\n`

  const declarations = files.map((file, index) => `const u${index} = ${url(file)};`)
  const variable = new Map(files.map((file, index) => [file, `u${index}`]))
  const srcset = (format: string) => files
    .filter(f => f.derivative.format === format)
    .map(f => `${variable.get(f)} + " ${f.derivative.width}w"`)
    .join(' + ", " + ')
  const { output } = image.asset
  const fields: Record<keyof GeneratedImage, string> = {
    src: variable.get(src)!,
    width: String(src.derivative.width),
    height: String(src.derivative.height),
    format: JSON.stringify(src.derivative.format),
    srcset: srcset(src.derivative.format),
    sources: `[${output.formats.map(format => `{ type: ${JSON.stringify(MIME_TYPES[format])}, srcset: ${srcset(format)} }`).join(', ')}]`,
    sizes: JSON.stringify(output.sizes),
    placeholder: JSON.stringify(image.derived.placeholder),
    color: JSON.stringify(image.derived.color),
    transparent: String(image.derived.transparent),
    alt: JSON.stringify(output.alt),
  }
  const body = Object.entries(fields).map(([key, value]) => `  ${key}: ${value},`).join('\n')
  return `${declarations.join('\n')}\nexport default {\n${body}\n};\n`
}
