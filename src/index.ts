/**
 * The plugin: `~ai-assets/<name>` imports resolve to virtual modules whose
 * code is a GeneratedImage; their files are emitted through the bundler. All
 * image work happens in the bundler-agnostic pipeline (core/).
 */
import type { UnpluginFactory } from 'unplugin'
import type { ResolvedConfig } from './config/resolve'
import type { AssetsPipeline } from './core/pipeline'
import type { OutputFile } from './plugin/module-code'
import type { Options } from './types'
import { createUnplugin } from 'unplugin'
import { createPipeline } from './core/pipeline'
import { createDevFiles, watchConfig } from './plugin/dev-server'
import { dtsPath, writeDts } from './plugin/dts'
import { parseImport, parseResolvedId, resolvedId } from './plugin/ids'
import { moduleCode, outputFiles, srcFile } from './plugin/module-code'

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options = {}) => {
  let root = process.cwd()
  let assetsDir = 'assets'
  let dev: ReturnType<typeof createDevFiles> | undefined
  let pipeline: AssetsPipeline | undefined
  const getPipeline = () => (pipeline ??= createPipeline({ ...options, root }))
  // File name → reference id, so that `x` and `x?url` emit a file once per build.
  const emitted = new Map<string, string>()

  const syncDts = async (config: ResolvedConfig) => {
    const path = dtsPath(options.dts, config)
    if (path)
      await writeDts(path, config)
  }

  return {
    name: 'unplugin-ai-assets',
    enforce: 'pre',

    async buildStart() {
      emitted.clear()
      const config = await getPipeline().config()
      this.addWatchFile(config.file)
      for (const asset of config.assets.values()) {
        if (asset.imagePath)
          this.addWatchFile(asset.imagePath)
      }
      await syncDts(config)
      await getPipeline().checkFrozen()
    },

    resolveId(id) {
      const parsed = parseImport(id)
      return parsed && resolvedId(parsed)
    },

    loadInclude: id => parseResolvedId(id) !== undefined,

    async load(id) {
      const { name, url } = parseResolvedId(id)!
      const image = await getPipeline().image(name)
      const files = outputFiles(image, assetsDir)
      if (dev)
        return moduleCode(image, files, url, file => JSON.stringify(dev!.url(file)))

      const reference = (file: OutputFile) => {
        let ref = emitted.get(file.fileName)
        if (!ref) {
          ref = this.emitFile({ type: 'asset', fileName: file.fileName, source: file.derivative.data }) as unknown as string
          emitted.set(file.fileName, ref)
        }
        return ref
      }
      // `?url` needs src alone: emit nothing else for it.
      for (const file of url ? [srcFile(files)] : files)
        reference(file)
      return moduleCode(image, files, url, file => `import.meta.ROLLUP_FILE_URL_${reference(file)}`)
    },

    vite: {
      configResolved(config) {
        root = config.root
        assetsDir = config.build.assetsDir
        if (config.command === 'serve')
          dev = createDevFiles(config.base)
      },
      configureServer(server) {
        dev?.middleware(server)
        watchConfig(server, getPipeline(), syncDts)
      },
    },
  }
}

export const unplugin = /* #__PURE__ */ createUnplugin(unpluginFactory)
export default unplugin

export { defineAssets } from './config/define'
export { AssetsConfigError } from './config/errors'
export { loadAssetsConfig } from './config/load'
export { generateAssets, type GenerateAssetsOptions, type GenerateAssetsResult } from './core/generate'
export { FrozenError } from './core/plan'
export { placeholderProvider } from './providers/placeholder/index'
export type * from './types'
