/**
 * Watch mode (Rollup, webpack, esbuild, `vite build --watch`): every build
 * starts by checking the config file and the reference images it names; when
 * one changed since the last build the config is read anew. A warm build
 * costs a few stat() calls.
 */
import type { ResolvedConfig } from '../config/resolve'
import type { AssetsPipeline } from '../core/pipeline'
import { stat } from 'node:fs/promises'

/** The files a build depends on besides the imports: the config and its reference images. */
export function inputFiles(config: ResolvedConfig): string[] {
  return [config.file, ...[...config.assets.values()].flatMap(asset => asset.imagePath ?? [])]
}

async function stamp(files: string[]): Promise<string> {
  const stamps = await Promise.all(files.map(file => stat(file).then(s => `${file}:${s.mtimeMs}:${s.size}`, () => `${file}:-`)))
  return stamps.join('\n')
}

export function createFreshConfig(pipeline: () => AssetsPipeline) {
  let seen: string | undefined
  /** The config, read anew when one of its input files changed since the previous call. */
  return async function freshConfig(): Promise<ResolvedConfig> {
    let config = await pipeline().config()
    let now = await stamp(inputFiles(config))
    if (seen !== undefined && now !== seen) {
      // Throws when the new config is invalid; `seen` stays, so that the next build tries again.
      config = await pipeline().reload()
      now = await stamp(inputFiles(config))
    }
    seen = now
    return config
  }
}
