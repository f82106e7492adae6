/**
 * The plugin, as the bundler entries (`unplugin-ai-assets/vite`, `/rollup`, …)
 * give it: `~ai-assets/<name>` imports resolve to virtual modules (files,
 * in Rspack: plugin/bundlers/rspack.ts) whose code is a GeneratedImage; their
 * files are emitted through the bundler. All image work happens in the
 * bundler-agnostic pipeline (core/); what a build or a dev server knows is in
 * plugin/targets.ts, what a project has in plugin/projects.ts.
 */
import type { UnpluginFactory } from 'unplugin'
import type { OutputFile } from '../output/emitted-files'
import type { Options } from '../types'
import { createUnplugin } from 'unplugin'
import { ASSET_NAME } from '../config/names'
import { outputFiles } from '../output/emitted-files'
import { classicScriptFileUrl, esbuildEmitter, rspackImportFile } from './bundlers/index'
import { serveDevFiles } from './dev-files'
import { watchConfig } from './dev-server'
import { inputFiles } from './freshness'
import { parseImport, parseResolvedId, resolvedId } from './ids'
import { moduleCode } from './module-code'
import { createProjects } from './projects'
import { createTargets } from './targets'

export const unpluginFactory: UnpluginFactory<Options | undefined> = (options = {}, meta) => {
  const project = createProjects(options)
  const { target, targetOf, viteConfigResolved } = createTargets(meta.framework)

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
      const used: OutputFile[] = []
      const code = moduleCode(image, outputFiles(image, assetsDir), query, (file) => {
        used.push(file)
        return emitter.url(this, file)
      }, commonjs)
      emitter.loaded?.(root, id, used)
      return code
    },

    vite: {
      configResolved: viteConfigResolved,
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
