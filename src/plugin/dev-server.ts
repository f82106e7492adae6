/**
 * `vite dev`: derivatives are served from memory by a middleware (they came
 * out of the derivative cache or were just made), and an edit to the config or
 * to a reference image reloads the importers of exactly the assets it changed.
 */
import type { ViteDevServer } from 'vite'
import type { ResolvedConfig } from '../config/resolve'
import type { AssetsPipeline } from '../core/pipeline'
import type { OutputFile } from './module-code'
import { canonicalJson } from '../core/canonical-json'
import { MIME_TYPES } from '../derive/formats'
import { resolvedId } from './ids'

const DEV_PATH = '@ai-assets/'

export function createDevFiles(base: string) {
  const files = new Map<string, OutputFile>()
  return {
    /** Registers the files and gives the URL of one. */
    url(file: OutputFile): string {
      files.set(file.fileName, file)
      return `${base}${DEV_PATH}${file.fileName}`
    },
    middleware(server: ViteDevServer) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? ''
        const at = path.indexOf(`/${DEV_PATH}`)
        if (at === -1)
          return next()
        const file = files.get(decodeURIComponent(path.slice(at + DEV_PATH.length + 1)))
        if (!file) {
          res.statusCode = 404
          return res.end('Not an ai-assets file of this dev server')
        }
        res.setHeader('Content-Type', MIME_TYPES[file.derivative.format])
        // Names are content-hashed: a new image is a new URL.
        res.setHeader('Cache-Control', 'max-age=31536000, immutable')
        res.end(file.derivative.data)
      })
    },
  }
}

/** What decides an asset's module: its key and its output fields. */
function fingerprints(config: ResolvedConfig): Map<string, string> {
  return new Map([...config.assets.values()].map(a => [a.name, `${a.key}:${canonicalJson(a.output)}`]))
}

export function watchConfig(server: ViteDevServer, pipeline: AssetsPipeline, onConfig: (config: ResolvedConfig) => Promise<void>) {
  const watched = (config: ResolvedConfig) => [config.file, ...[...config.assets.values()].flatMap(a => a.imagePath ?? [])]
  pipeline.config().then(config => server.watcher.add(watched(config)), () => {})

  server.watcher.on('change', async (file) => {
    const before = await pipeline.config().catch(() => undefined)
    if (before && !watched(before).includes(file))
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
    server.watcher.add(watched(after))
    await onConfig(after)
    const old = before ? fingerprints(before) : new Map()
    for (const [name, print] of fingerprints(after)) {
      if (old.get(name) === print)
        continue
      for (const url of [false, true]) {
        const module = server.moduleGraph.getModuleById(resolvedId({ name, url }))
        if (module)
          await server.reloadModule(module)
      }
    }
  })
}
