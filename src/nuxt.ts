/**
 * `unplugin-ai-assets/nuxt`: a Nuxt module (`modules: ['unplugin-ai-assets/nuxt']`,
 * options under `aiAssets` in `nuxt.config.ts`). It adds the Vite plugin to the
 * client and the server build, declares the assets in Nuxt's generated types
 * and auto-imports the Vue picture component as `<AiPicture>` (README, "Nuxt").
 *
 * Nuxt's kit is taken from the project's own `nuxt` (`nuxt/kit`) rather than
 * being a dependency: the kit must match the project's Nuxt (how a module adds
 * a Vite plugin changed within Nuxt 4), users of the five other bundlers
 * should not install it, and the project always has `nuxt` itself, also under
 * pnpm's strict layout.
 */
import type { Options } from './types'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { findConfigFile, loadAssetsConfig } from './config/load'
import { dtsContent, removeGeneratedRootDts } from './output/dts'
import { NUXT_DTS } from './output/framework-types'
import { unplugin } from './plugin/unplugin'

export interface ModuleOptions extends Options {
  /**
   * Name under which the Vue `Picture` component is auto-imported, or `false`
   * to import it yourself from `unplugin-ai-assets/vue`.
   * @default 'AiPicture'
   */
  component?: string | false
}

const meta = { name: 'unplugin-ai-assets', configKey: 'aiAssets', compatibility: { nuxt: '>=4.0.0' } }

/** What a Nuxt module gives back, as Nuxt's `ModuleSetupReturn` declares it. */
type ModuleSetupReturn = void | false | { timings?: Record<string, number | undefined> }

/** The part of the Nuxt instance this module reads; the kit does the rest. */
interface NuxtLike {
  options: { rootDir: string, buildDir: string }
}

/** The functions of `@nuxt/kit` used here, as the kit declares them. */
interface NuxtKit {
  defineNuxtModule: <O>(definition: {
    meta: typeof meta
    defaults: Partial<O>
    setup: (options: O, nuxt: NuxtLike) => void
  }) => (inlineOptions: O, nuxt: NuxtLike) => Promise<ModuleSetupReturn>
  addTypeTemplate: (template: { filename: string, getContents: () => Promise<string> }) => unknown
  addVitePlugin: (plugin: unknown) => void
  addComponent: (component: { name: string, export: string, filePath: string }) => void
}

async function projectKit(rootDir: string): Promise<NuxtKit> {
  const kit = createRequire(join(rootDir, 'package.json')).resolve('nuxt/kit')
  return await import(pathToFileURL(kit).href)
}

/**
 * A Nuxt module: Nuxt calls it with the inline options and itself. Its type matches Nuxt's
 * `NuxtModule<ModuleOptions>`, from which Nuxt types the `aiAssets` key of `nuxt.config.ts`.
 */
async function aiAssetsModule(inlineOptions: ModuleOptions, nuxt: NuxtLike): Promise<ModuleSetupReturn> {
  const kit = await projectKit(nuxt.options.rootDir)
  const module = kit.defineNuxtModule<ModuleOptions>({
    meta,
    defaults: { component: 'AiPicture' },
    setup({ component, ...options }, nuxt) {
      const { rootDir, buildDir } = nuxt.options
      // Nuxt 4's Vite root is `app/`: the config sits next to nuxt.config.ts instead.
      const config = findConfigFile({ root: rootDir, config: options.config })
      // Declared in Nuxt's generated types unless `dts` says otherwise; the plugin rewrites the same
      // file when the config changes under `nuxi dev`, which regenerates no type template by itself.
      if (options.dts === undefined) {
        // A root copy an earlier `ai-assets generate` wrote would declare every asset a second time.
        const removed = removeGeneratedRootDts(dirname(config), 'Nuxt')
        if (removed)
          console.warn(`[ai-assets] ${removed}`)
        kit.addTypeTemplate({
          filename: NUXT_DTS,
          getContents: async () => dtsContent(await loadAssetsConfig({ config })),
        })
      }
      // One plugin object for the client and the server build, and so one dev file list: the URLs
      // written into server-rendered HTML are served by the client dev server the browser talks to.
      kit.addVitePlugin(unplugin.vite({ ...options, config, dts: options.dts ?? join(buildDir, NUXT_DTS) }))
      if (component)
        kit.addComponent({ name: component, export: 'Picture', filePath: 'unplugin-ai-assets/vue' })
    },
  })
  return module(inlineOptions, nuxt)
}

/** Read by Nuxt before the module runs: its name and its `nuxt.config` key. */
aiAssetsModule.getMeta = async () => meta

export default aiAssetsModule
