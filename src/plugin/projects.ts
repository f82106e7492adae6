/**
 * One plugin object can serve several projects in one process (a monorepo's
 * Vitest workspace, two Vite servers with different roots), so the pipeline,
 * the config freshness check and `ai-assets.d.ts` belong to a root, never to
 * the plugin object.
 */
import type { ResolvedConfig } from '../config/resolve'
import type { AssetsPipeline } from '../core/pipeline'
import type { Options } from '../types'
import { createPipeline } from '../core/pipeline'
import { dtsPath, writeDts } from '../output/dts'
import { createFreshConfig } from './freshness'

export interface Project {
  pipeline: AssetsPipeline
  /** The config, read anew when it or a reference image changed since the previous build. */
  freshConfig: () => Promise<ResolvedConfig>
  /** Rewrites `ai-assets.d.ts` when the `dts` option asks for it. */
  syncDts: (config: ResolvedConfig) => Promise<void>
}

export function createProjects(options: Options): (root: string) => Project {
  const projects = new Map<string, Project>()
  return (root) => {
    let project = projects.get(root)
    if (!project) {
      const pipeline = createPipeline({ ...options, root })
      project = {
        pipeline,
        freshConfig: createFreshConfig(() => pipeline),
        async syncDts(config) {
          const path = dtsPath(options.dts, config)
          if (path)
            await writeDts(path, config)
        },
      }
      projects.set(root, project)
    }
    return project
  }
}
