/**
 * The plugin: `~ai-assets/<name>` imports resolve to virtual modules whose
 * code is a GeneratedImage; their files are emitted through the bundler. All
 * image work happens in the bundler-agnostic pipeline (core/).
 */
import type { UnpluginFactory } from 'unplugin'
import type { ResolvedConfig } from './config/resolve'
import type { AssetsPipeline } from './core/pipeline'
import type { Options } from './types'
import { createUnplugin } from 'unplugin'
import { createPipeline } from './core/pipeline'
import { viteAssetsDir } from './plugin/assets-dir'
import { classicScriptFileUrl, devEmitter, emitterFor, esbuildEmitter } from './plugin/bundlers/index'
import { createDevFiles, watchConfig } from './plugin/dev-server'
import { dtsPath, writeDts } from './plugin/dts'
import { createFreshConfig, inputFiles } from './plugin/freshness'
import { parseImport, parseResolvedId, resolvedId } from './plugin/ids'
import { moduleCode, outputFiles } from './plugin/module-code'

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options = {}, meta) => {
  // Where assets.config.* is looked for: Vite's root, webpack's and Rspack's context, esbuild's absWorkingDir, Rolldown's cwd.
  let root = process.cwd()
  // The same folder in every bundler, so that the same input gives the same file names everywhere.
  let assetsDir = 'assets'
  let emitter = emitterFor(meta.framework)
  let dev: ReturnType<typeof createDevFiles> | undefined
  let pipeline: AssetsPipeline | undefined
  const getPipeline = () => (pipeline ??= createPipeline({ ...options, root }))
  const freshConfig = createFreshConfig(getPipeline)

  const syncDts = async (config: ResolvedConfig) => {
    const path = dtsPath(options.dts, config)
    if (path)
      await writeDts(path, config)
  }

  return {
    name: 'unplugin-ai-assets',
    enforce: 'pre',

    async buildStart() {
      emitter.reset?.()
      const config = await freshConfig()
      // esbuild watches only what load() names.
      if (meta.framework !== 'esbuild')
        inputFiles(config).forEach(file => this.addWatchFile(file))
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
      // The module depends on the config and its reference image, so that webpack rebuilds it when they
      // change (`vite dev` reloads only the modules whose asset changed: dev-server.ts).
      if (!dev)
        [(await getPipeline().config()).file, image.asset.imagePath].forEach(file => file && this.addWatchFile(file))
      // `?url` refers to src alone, so nothing else is emitted for it.
      return moduleCode(image, outputFiles(image, assetsDir), url, file => emitter.url(this, file))
    },

    vite: {
      configResolved(config) {
        root = config.root
        assetsDir = viteAssetsDir(config.build)
        if (config.command === 'serve')
          emitter = devEmitter(dev = createDevFiles(config.base))
      },
      configureServer(server) {
        dev?.middleware(server)
        watchConfig(server, getPipeline(), syncDts)
      },
    },
    rolldown: {
      options(input) {
        root = input.cwd ?? root
      },
      resolveFileUrl: args => parseResolvedId(args.moduleId) ? classicScriptFileUrl(args) : undefined,
    },
    webpack(compiler) {
      root = compiler.options.context ?? root
    },
    rspack(compiler) {
      root = compiler.options.context ?? root
    },
    esbuild: {
      onResolveFilter: /^~ai-assets\//,
      onLoadFilter: /ai-assets:/,
      setup(build) {
        root = build.initialOptions.absWorkingDir ?? root
        emitter = esbuildEmitter(build, message => console.warn(`[ai-assets] ${message}`))
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
