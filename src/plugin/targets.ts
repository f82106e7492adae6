/**
 * What one build or one dev server knows, found from a hook's `this`. Kept
 * per build, never per plugin object: Astro, Nuxt, SvelteKit and Vitest hand
 * one plugin object to several Vite dev servers and builds in one process,
 * one after another or at once.
 */
import type { UnpluginBuildContext } from 'unplugin'
import type { Emitter } from './bundlers/index'
import { viteAssetsDir } from './assets-dir'
import { devEmitter, emitterFor, viteBuildEmitter } from './bundlers/index'

export interface Target {
  /** Where assets.config.* is looked for: Vite's root, webpack's and Rspack's context, esbuild's absWorkingDir, Rolldown's cwd. */
  root: string
  /** The same folder in every bundler, so that the same input gives the same file names everywhere. */
  assetsDir: string
  emitter: Emitter
  /** A dev server: files are served from memory, nothing is emitted. */
  dev: boolean
}

/** The parts of a Vite config (or of a Vite 6+ environment's) a target is made from. */
export interface ViteConfigLike {
  root: string
  base: string
  command: string
  build: Parameters<typeof viteAssetsDir>[0]
}

/** What a Vite hook's `this` tells of its server or build. */
interface ViteContext {
  /** Vite 6+. */
  environment?: { mode: string, config: ViteConfigLike }
  /** Vite 5.4, dev server only. */
  _container?: { config?: ViteConfigLike }
}

function viteTarget(config: ViteConfigLike, dev: boolean): Target {
  return { root: config.root, assetsDir: viteAssetsDir(config.build), dev, emitter: dev ? devEmitter(config.base) : viteBuildEmitter() }
}

export function createTargets(framework: string) {
  // Every bundler but Vite runs one build per plugin object at a time: one target, updated by its hooks.
  const target: Target = { root: process.cwd(), assetsDir: 'assets', emitter: emitterFor(framework), dev: false }
  // Vite: a target per dev or build environment (Vite 6+, `this.environment`); on Vite 5 per dev server
  // (the config of its plugin container) and per build (the Rollup plugin context, one per build:
  // VitePress runs its client and SSR builds at once).
  const viteTargets = new WeakMap<object, Target>()
  let lastViteConfig: ViteConfigLike | undefined

  return {
    /** The target of every bundler but Vite. */
    target,
    /** Vite's `configResolved`. */
    viteConfigResolved(config: ViteConfigLike) {
      lastViteConfig = config
    },
    targetOf(context: UnpluginBuildContext): Target {
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
    },
  }
}
