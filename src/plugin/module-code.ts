/**
 * The JavaScript an `~ai-assets/…` import loads. URLs are expressions given
 * by the bundler adapter (`import.meta.ROLLUP_FILE_URL_…`, a public path plus
 * a file name…), so this file knows nothing of any bundler.
 */
import type { AssetImage } from '../core/pipeline'
import type { Derivative } from '../derive/index'
import type { GeneratedImage } from '../types'
import type { AssetQuery } from './ids'
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
 * `export default` a GeneratedImage (or, for `?url`, its src; for `?srcset`,
 * its srcset). `url` turns an output file into a JS expression evaluating to
 * its URL; it is called only for the files the module refers to, so that only
 * those are emitted. `commonjs` (webpack, Rspack) assigns `module.exports`
 * instead, so that `require('~ai-assets/x?url')` in an html-webpack-plugin
 * template gives the string, as `require('./x.png')` does; `import` still
 * gets the same value.
 */
export function moduleCode(image: AssetImage, allFiles: OutputFile[], query: AssetQuery, url: (file: OutputFile) => string, commonjs = false): string {
  const exported = (value: string) => `${commonjs ? 'module.exports =' : 'export default'} ${value};\n`
  const src = srcFile(image, allFiles)
  if (query === 'url')
    return exported(url(src))
  const files = query === 'srcset' ? allFiles.filter(f => f.derivative.format === src.derivative.format) : allFiles

  const declarations = files.map((file, index) => `const u${index} = ${url(file)};`)
  const variable = new Map(files.map((file, index) => [file, `u${index}`]))
  const srcset = (format: string) => files
    .filter(f => f.derivative.format === format)
    .map(f => `${variable.get(f)} + " ${f.derivative.width}w"`)
    .join(' + ", " + ')
  if (query === 'srcset')
    return `${declarations.join('\n')}\n${exported(srcset(src.derivative.format))}`
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
  return `${declarations.join('\n')}\n${exported(`{\n${body}\n}`)}`
}
