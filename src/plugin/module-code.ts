/**
 * The JavaScript an `~ai-assets/…` import loads. URLs are expressions given
 * by the bundler adapter (`import.meta.ROLLUP_FILE_URL_…`, a public path plus
 * a file name…), so this file knows nothing of any bundler.
 */
import type { AssetImage } from '../core/pipeline'
import type { OutputFile } from '../output/emitted-files'
import type { AssetQuery } from './ids'
import { srcFile } from '../output/emitted-files'
import { generatedImage } from '../output/generated-image'

// `<mark><index><mark>` stands for a file's URL in the built GeneratedImage
// until it is replaced by a variable holding the bundler's URL expression. The
// mark is NUL plus a fresh UUID, which no `alt` or `sizes` text can contain.
function urlMark(): { mark: string, marked: RegExp } {
  const mark = `\u0000${crypto.randomUUID()}`
  // JSON.stringify writes NUL as the six characters \u0000.
  const inJSON = JSON.stringify(mark).slice(1, -1).replaceAll('\\', '\\\\')
  return { mark, marked: new RegExp(`${inJSON}(\\d+)${inJSON}`, 'g') }
}

/** `?raw`: the sanitised markup of an SVG asset (never the provider's bytes), for inlining. */
function rawMarkup(image: AssetImage): string {
  const svg = image.derived.derivatives.find(d => d.format === 'svg')
  if (!svg)
    throw new Error(`"~ai-assets/${image.asset.name}?raw" gives the markup of an SVG asset, and "${image.asset.name}" is not one. Accepted: ?raw on an asset with vector: true or vectorize: true (and "svg" in its formats, if it sets formats); import it without ?raw for its GeneratedImage`)
  return svg.data.toString('utf8')
}

/**
 * `export default` a GeneratedImage (or, for `?url`, its src; for `?srcset`,
 * its srcset; for `?raw`, an SVG asset's markup). `url` turns an output file into a JS expression evaluating to
 * its URL; it is called only for the files the module refers to, so that only
 * those are emitted. `commonjs` (webpack, Rspack) assigns `module.exports`
 * instead, so that `require('~ai-assets/x?url')` in an html-webpack-plugin
 * template gives the string, as `require('./x.png')` does; `import` still
 * gets the same value.
 */
export function moduleCode(image: AssetImage, allFiles: OutputFile[], query: AssetQuery, url: (file: OutputFile) => string, commonjs = false): string {
  const exported = (value: string) => `${commonjs ? 'module.exports =' : 'export default'} ${value};\n`
  // The markup itself: no file is emitted for it.
  if (query === 'raw')
    return exported(JSON.stringify(rawMarkup(image)))
  const src = srcFile(image, allFiles)
  if (query === 'url')
    return exported(url(src))
  const files = query === 'srcset' ? allFiles.filter(f => f.derivative.format === src.derivative.format) : allFiles
  const { mark, marked } = urlMark()
  const built = generatedImage(image, files, file => `${mark}${files.indexOf(file)}${mark}`)
  const value = query === 'srcset' ? built.srcset : built

  // JSON, with each marked URL spliced out of its string literal as a variable.
  const used = new Set<number>()
  const code = JSON.stringify(value, null, 2)
    .replace(marked, (_mark, index: string) => {
      used.add(Number(index))
      return `" + u${index} + "`
    })
    .replaceAll('"" + ', '')
    .replaceAll(' + ""', '')
  const declarations = [...used].sort((a, b) => a - b).map(index => `const u${index} = ${url(files[index]!)};\n`)
  return `${declarations.join('')}${exported(code)}`
}
