/**
 * The names of the files an asset's derivatives are emitted as, the same in
 * every bundler, in client and SSR builds and in `ai-assets build`.
 */
import type { AssetImage } from '../core/pipeline'
import type { Derivative } from '../derive/index'
import { sha256 } from '../common/hash'
import { knownSha256 } from '../derive/cache'
import { EMITTED_EXTENSIONS } from '../derive/formats'

export interface OutputFile {
  /** Path inside the output folder, content-hashed: `<dir>/<name>-<width>.<hash8>.<ext>`. */
  fileName: string
  derivative: Derivative
}

/** The same bytes always get the same name (their sha256, as the derivative cache recorded it when it has them). */
export function outputFiles(image: AssetImage, dir: string): OutputFile[] {
  const prefix = dir ? `${dir.replace(/\/+$/, '')}/` : ''
  return image.derived.derivatives.map(derivative => ({
    fileName: `${prefix}${image.asset.name}-${derivative.width}.${(knownSha256(derivative.data) ?? sha256(derivative.data)).slice(0, 8)}.${EMITTED_EXTENSIONS[derivative.format]}`,
    derivative,
  }))
}

/** The largest width of the `<img>` fallback's format: what `src` points at. */
export function srcFile(image: AssetImage, files: OutputFile[]): OutputFile {
  return files.filter(f => f.derivative.format === image.derived.fallback).at(-1)!
}
