/**
 * `unplugin-ai-assets/astro`: an Astro integration (`integrations: [aiAssets()]`).
 * It adds the Vite plugin to Astro's Vite config, which Astro uses for `astro dev`,
 * `astro build` and the dev server it starts to sync types, and gives the asset
 * declarations to Astro's own type generation (README, "Astro").
 */
import type { Options } from './types'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadAssetsConfig } from './config/load'
import { dtsContent, removeGeneratedRootDts } from './output/dts'
import { ASTRO_DTS, DTS_FILE } from './output/framework-types'
import { unplugin } from './plugin/unplugin'

const NAME = 'unplugin-ai-assets'

/**
 * The part of Astro's `AstroIntegration` this integration uses, written out so
 * that the package needs no `astro` types to build; an `AstroIntegration` accepts it.
 */
export interface AiAssetsAstroIntegration {
  name: string
  hooks: {
    'astro:config:setup': (params: {
      config: { root: URL }
      updateConfig: (config: { vite: { plugins: any[] } }) => unknown
    }) => void
    'astro:config:done': (params: {
      config: { root: URL }
      /** Astro ≥ 4.14. */
      injectTypes?: (type: { filename: string, content: string }) => URL
      logger?: { warn: (message: string) => void }
    }) => Promise<void>
  }
}

/**
 * The plugin's options; `assets.config.*` is looked for in Astro's `root`.
 * `dts` defaults to Astro's generated types (`.astro/integrations/unplugin-ai-assets/ai-assets.d.ts`,
 * which `.astro/types.d.ts` references), so a project's `tsconfig.json` needs no change.
 */
export default function aiAssets(options: Options = {}): AiAssetsAstroIntegration {
  const useAstroTypes = options.dts === undefined
  return {
    name: NAME,
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        const root = fileURLToPath(config.root)
        // The plugin rewrites the file Astro injected (same path as injectTypes below) when the
        // config changes under `astro dev`, which runs no type sync of its own after startup.
        const dts = useAstroTypes ? join(root, ASTRO_DTS) : options.dts
        updateConfig({ vite: { plugins: [unplugin.vite({ ...options, dts })] } })
      },
      'astro:config:done': async ({ config, injectTypes, logger }) => {
        if (!useAstroTypes || !injectTypes)
          return
        const assets = await loadAssetsConfig({ root: fileURLToPath(config.root), config: options.config })
        injectTypes({ filename: DTS_FILE, content: dtsContent(assets) })
        // A root copy an earlier `ai-assets generate` wrote would declare every asset a second time.
        const removed = removeGeneratedRootDts(dirname(assets.file), 'Astro')
        if (removed)
          logger?.warn(removed)
      },
    },
  }
}
