/**
 * webpack and Rspack: the loader's own `emitFile`, so that the files belong
 * to the module (a module taken from the cache in watch mode still emits
 * them), and `__webpack_public_path__`, which is `output.publicPath`: a fixed
 * prefix, or with `'auto'` the folder of the running script.
 */
import type { Emitter } from './types'
import { announceEmit } from './emit-channel'

export function webpackEmitter(): Emitter {
  return {
    url(context, file) {
      const native = context.getNativeBuildContext?.()
      const loader = native && (native.framework === 'webpack' || native.framework === 'rspack') ? native.loaderContext : undefined
      if (!loader)
        throw new Error(`[ai-assets] cannot emit ${file.fileName}: no ${native?.framework ?? 'webpack'} loader context`)
      loader.emitFile(file.fileName, file.derivative.data, undefined, { immutable: true })
      announceEmit(file)
      return `__webpack_public_path__ + ${JSON.stringify(file.fileName)}`
    },
  }
}
