/**
 * The plugin: `~ai-assets/<name>` imports resolve to virtual modules whose
 * code is a GeneratedImage; their files are emitted through the bundler. All
 * image work happens in the bundler-agnostic pipeline (core/).
 */
import type { UnpluginBuildContext, UnpluginFactory } from 'unplugin'
import type { Emitter } from './plugin/bundlers/index'
import type { Options } from './types'
import { createUnplugin } from 'unplugin'
import { ASSET_NAME } from './config/schema'
import { classicScriptFileUrl, devEmitter, emitterFor, esbuildEmitter, rspackImportFile, viteBuildEmitter } from './plugin/bundlers/index'
import { serveDevFiles, watchConfig } from './plugin/dev-server'
import { inputFiles } from './plugin/freshness'
import { parseImport, parseResolvedId, resolvedId } from './plugin/ids'
import { moduleCode, outputFiles } from './plugin/module-code'
import { createProjects } from './plugin/projects'

/**
 * What one build or one dev server knows. Kept per build, never per plugin
 * object: Astro, Nuxt, SvelteKit and Vitest hand one plugin object to several
 * Vite dev servers and builds in one process, one after another or at once.
 */
interface Target {
  /** Where assets.config.* is looked for: Vite's root, webpack's and Rspack's context, esbuild's absWorkingDir, Rolldown's cwd. */
  root: string
  /** The same folder in every bundler, so that the same input gives the same file names everywhere. */
  assetsDir: string
  emitter: Emitter
  /** A dev server: files are served from memory, nothing is emitted. */
  dev: boolean
}

/** The parts of a Vite config (or of a Vite 6+ environment's) a target is made from. */
interface ViteConfigLike {
  root: string
  base: string
  command: string
  build: { assetsDir: string }
}

/** What a Vite hook's `this` tells of its server or build. */
interface ViteContext {
  /** Vite 6+. */
  environment?: { mode: string, config: ViteConfigLike }
  /** Vite 5.4, dev server only. */
  _container?: { config?: ViteConfigLike }
}

function viteTarget(config: ViteConfigLike, dev: boolean): Target {
  return { root: config.root, assetsDir: config.build.assetsDir, dev, emitter: dev ? devEmitter(config.base) : viteBuildEmitter() }
}

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options = {}, meta) => {
  const project = createProjects(options)
  // Every bundler but Vite runs one build per plugin object at a time: one target, updated by its hooks.
  const target: Target = { root: process.cwd(), assetsDir: 'assets', emitter: emitterFor(meta.framework), dev: false }
  // Vite: a target per dev or build environment (Vite 6+, `this.environment`); on Vite 5 per dev server
  // (the config of its plugin container) and per build (the Rollup plugin context, one per build:
  // VitePress runs its client and SSR builds at once).
  const viteTargets = new WeakMap<object, Target>()
  let lastViteConfig: ViteConfigLike | undefined
  const targetOf = (context: UnpluginBuildContext): Target => {
    const { environment, _container } = context as ViteContext
    if (!environment && !lastViteConfig)
      return target
    // Vite 5.4's dev plugin context knows its server's config only through this private field.
    const key = environment ?? _container?.config ?? context
    let found = viteTargets.get(key)
    if (!found) {
      // A dev server, or the dependency optimizer's scan: nothing is emitted.
      found = environment
        ? viteTarget(environment.config, environment.mode !== 'build')
        : _container?.config
          ? viteTarget(_container.config, true)
          // A Vite 5 build: the config resolved last is that of the build whose hooks run next.
          : viteTarget(lastViteConfig!, lastViteConfig!.command === 'serve')
      viteTargets.set(key, found)
    }
    return found
  }

  return {
    name: 'unplugin-ai-assets',
    enforce: 'pre',

    async buildStart() {
      const { root, emitter } = targetOf(this)
      emitter.reset?.()
      const { freshConfig, syncDts, pipeline } = project(root)
      const config = await freshConfig()
      // esbuild watches only what load() names.
      if (meta.framework !== 'esbuild')
        inputFiles(config).forEach(file => this.addWatchFile(file))
      await syncDts(config)
      await pipeline.checkFrozen()
    },

    async resolveId(id, importer) {
      const parsed = parseImport(id, importer)
      if (!parsed)
        return undefined
      // Only a valid name becomes a path; any other is reported by load() as an unknown asset.
      return meta.framework === 'rspack' && ASSET_NAME.test(parsed.name) ? rspackImportFile(target.root, parsed) : resolvedId(parsed)
    },

    loadInclude: id => parseResolvedId(id) !== undefined,

    async load(id) {
      const { name, query } = parseResolvedId(id)!
      const { root, assetsDir, emitter, dev } = targetOf(this)
      const { pipeline } = project(root)
      const image = await pipeline.image(name)
      // The module depends on the config and its reference image, so that webpack rebuilds it when they
      // change (`vite dev` reloads only the modules whose asset changed: dev-server.ts).
      if (!dev)
        [(await pipeline.config()).file, image.asset.imagePath].forEach(file => file && this.addWatchFile(file))
      const commonjs = meta.framework === 'webpack' || meta.framework === 'rspack'
      return moduleCode(image, outputFiles(image, assetsDir), query, file => emitter.url(this, file), commonjs)
    },

    vite: {
      configResolved(config) {
        lastViteConfig = config
      },
      configureServer(server) {
        serveDevFiles(server)
        const { pipeline, syncDts } = project(server.config.root)
        watchConfig(server, pipeline, syncDts)
      },
    },
    rolldown: {
      options(input) {
        target.root = input.cwd ?? target.root
      },
      resolveFileUrl: args => parseResolvedId(args.moduleId) ? classicScriptFileUrl(args) : undefined,
    },
    webpack(compiler) {
      target.root = compiler.options.context ?? target.root
    },
    rspack(compiler) {
      target.root = compiler.options.context ?? target.root
    },
    esbuild: {
      onResolveFilter: /^~ai-assets\//,
      onLoadFilter: /ai-assets:/,
      setup(build) {
        target.root = build.initialOptions.absWorkingDir ?? target.root
        target.emitter = esbuildEmitter(build, message => console.warn(`[ai-assets] ${message}`))
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
