/**
 * `vite dev`: an edit to the config or to a reference image reloads the
 * importers of exactly the assets it changed (the files are served by
 * dev-files.ts).
 */
import type { ViteDevServer } from 'vite'
import type { ResolvedConfig } from '../config/resolve'
import type { AssetsPipeline } from '../core/pipeline'
import { canonicalJson } from '../common/canonical-json'
import { servedBy } from './dev-files'
import { inputFiles } from './freshness'
import { QUERIES, resolvedId } from './ids'

/** What decides an asset's module: its key and its output fields. */
function fingerprints(config: ResolvedConfig): Map<string, string> {
  return new Map([...config.assets.values()].map(a => [a.name, `${a.key}:${canonicalJson(a.output)}`]))
}

export function watchConfig(server: ViteDevServer, pipeline: AssetsPipeline, onConfig: (config: ResolvedConfig) => Promise<void>) {
  // The config this server's modules were made from. Kept per server, because servers of one
  // project share the pipeline: once one of them has reloaded it, the others must still compare
  // against what they served.
  let seen: ResolvedConfig | undefined
  pipeline.config().then((config) => {
    seen = config
    server.watcher.add(inputFiles(config))
  }, () => {})

  server.watcher.on('change', async (file) => {
    const before = seen ?? await pipeline.config().catch(() => undefined)
    if (before && !inputFiles(before).includes(file))
      return
    let after: ResolvedConfig
    try {
      after = await pipeline.reload()
    }
    catch (error) {
      server.config.logger.error((error as Error).message, { error: error as Error })
      server.ws.send({ type: 'error', err: { message: (error as Error).message, stack: '' } })
      return
    }
    seen = after
    server.watcher.add(inputFiles(after))
    await onConfig(after)
    const old = before ? fingerprints(before) : new Map<string, string>()
    const now = fingerprints(after)
    // A removed asset's modules are not made again: what they pointed at is let go here.
    for (const name of old.keys()) {
      if (!now.has(name))
        QUERIES.forEach(query => servedBy(server.config.root, resolvedId({ name, query }), []))
    }
    for (const [name, print] of now) {
      if (old.get(name) === print)
        continue
      for (const query of QUERIES) {
        const module = server.moduleGraph.getModuleById(resolvedId({ name, query }))
        if (module)
          await server.reloadModule(module)
      }
    }
  })
}
