/**
 * Where the Astro integration and the Nuxt module declare the assets: in the
 * framework's own generated types, which its tsconfig already includes. A
 * second `ai-assets.d.ts` next to the config is included too (Astro's
 * `"include": ["**\/*"]`, Nuxt 4's `../*.d.ts`), and declaring every module
 * twice makes `tsc`, `astro check` and `nuxi typecheck` fail with "Duplicate
 * identifier". So the CLI, which runs without the framework, writes where
 * its integration does, found from the framework's config file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const DTS_FILE = 'ai-assets.d.ts'
/** Under Astro's root: the file `injectTypes` writes, which `.astro/types.d.ts` references. */
export const ASTRO_DTS = `.astro/integrations/unplugin-ai-assets/${DTS_FILE}`
/** Under Nuxt's `buildDir`: the type template, which `.nuxt/nuxt.d.ts` references. */
export const NUXT_DTS = `types/${DTS_FILE}`

const INTEGRATIONS = [
  { framework: 'Astro', specifier: 'unplugin-ai-assets/astro', configs: ['mjs', 'js', 'ts', 'mts', 'cjs', 'cts'].map(ext => `astro.config.${ext}`), dts: ASTRO_DTS },
  // Nuxt's default buildDir; a project that moves it passes `--dts`.
  { framework: 'Nuxt', specifier: 'unplugin-ai-assets/nuxt', configs: ['ts', 'js', 'mjs', 'mts'].map(ext => `nuxt.config.${ext}`), dts: `.nuxt/${NUXT_DTS}` },
]

export interface IntegrationTypes {
  framework: string
  /** The declarations file the integration writes. */
  path: string
}

/**
 * The declarations of the Astro or Nuxt integration of the project in
 * `root`, when its framework config names the integration; undefined for
 * any other project (the Vite plugin in `astro.config` included: it has no
 * generated types of its own).
 */
export function integrationTypes(root: string): IntegrationTypes | undefined {
  for (const { framework, specifier, configs, dts } of INTEGRATIONS) {
    const config = configs.map(name => join(root, name)).find(file => existsSync(file))
    if (config && readText(config).includes(specifier))
      return { framework, path: join(root, dts) }
  }
  return undefined
}

/** A config the process cannot read names no integration, as far as the types are concerned. */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  }
  catch {
    return ''
  }
}
