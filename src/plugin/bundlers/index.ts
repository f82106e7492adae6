/** The emitter of each bundler; see the file of each one. */
import type { Emitter } from './types'
import { rollupEmitter } from './rollup'
import { viteBuildEmitter } from './vite'
import { webpackEmitter } from './webpack'

export { EMIT_CHANNEL } from './emit-channel'
export { esbuildEmitter } from './esbuild'
export { classicScriptFileUrl } from './rollup'
export { rspackImportFile } from './rspack'
export type { Emitter } from './types'
export { viteBuildEmitter } from './vite'
export { devEmitter } from './vite-dev'

/** The emitter known from the framework alone (esbuild's and `vite dev`'s need their build or server). */
export function emitterFor(framework: string): Emitter {
  if (framework === 'webpack' || framework === 'rspack')
    return webpackEmitter()
  return framework === 'vite' ? viteBuildEmitter() : rollupEmitter()
}
