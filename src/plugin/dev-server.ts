/**
 * `vite dev`: derivatives are served from memory by a middleware (they came
 * out of the derivative cache or were just made), and an edit to the config or
 * to a reference image reloads the importers of exactly the assets it changed.
 */
import type { ViteDevServer } from 'vite'
import type { ResolvedConfig } from '../config/resolve'
import type { AssetsPipeline } from '../core/pipeline'
import type { OutputFile } from '../output/emitted-files'
import { canonicalJson } from '../common/canonical-json'
import { MIME_TYPES } from '../derive/formats'
import { inputFiles } from './freshness'
import { QUERIES, resolvedId } from './ids'

const DEV_PATH = '@ai-assets/'

/**
 * Every file a module of a dev server of this process points at, by name,
 * with the number of modules that do. One registry for the whole process, not
 * one per server: frameworks run several dev servers at once (Nuxt a client
 * and a server one, Astro one for types and one for pages), and HTML rendered
 * by one of them carries URLs that the browser asks of another. Names are
 * content-hashed, so a name always means the same bytes, whichever server
 * registered it. A file no module points at any more (its asset was edited,
 * its module made again) is let go: a long session holds the files of what
 * it serves now, not of every version of every asset it went through.
 */
const devFiles = new Map<string, { file: OutputFile, modules: number }>()
/** The names each module points at, by project root and module id. */
const namesOf = new Map<string, string[]>()

/** The URL of a file on a dev server whose `base` is `base`. */
export function devFileUrl(base: string, file: OutputFile): string {
  return `${base}${DEV_PATH}${file.fileName}`
}

/** The module `id` of the project at `root` now points at `files`: they are served, and what it pointed at before and no longer does is let go. */
export function servedBy(root: string, id: string, files: OutputFile[]): void {
  const key = `${root}\0${id}`
  const before = new Set(namesOf.get(key))
  const now = new Map(files.map(file => [file.fileName, file]))
  for (const [name, file] of now) {
    if (before.has(name))
      continue
    const entry = devFiles.get(name)
    if (entry)
      entry.modules++
    else
      devFiles.set(name, { file, modules: 1 })
  }
  for (const name of before) {
    const entry = now.has(name) ? undefined : devFiles.get(name)
    if (entry && --entry.modules === 0)
      devFiles.delete(name)
  }
  if (now.size > 0)
    namesOf.set(key, [...now.keys()])
  else
    namesOf.delete(key)
}

/**
 * The dev servers of this process that are open, by project root. When the
 * last server of a root closes, what its modules pointed at is let go: a
 * process that opens and closes servers of many projects (a test runner)
 * holds no files of the closed ones. Counted per root, as one project's
 * servers share its files (see above).
 */
const openServers = new Map<string, number>()

function serverClosed(root: string): void {
  const open = (openServers.get(root) ?? 1) - 1
  if (open > 0) {
    openServers.set(root, open)
    return
  }
  openServers.delete(root)
  const prefix = `${root}\0`
  for (const key of [...namesOf.keys()]) {
    if (key.startsWith(prefix))
      servedBy(root, key.slice(prefix.length), [])
  }
}

/**
 * Calls `closed` once, when the server closes. No plugin hook is called once
 * per server in every Vite version (buildEnd and closeBundle run once per
 * environment from Vite 6 on), so the server's own method says it: close(),
 * through which Vite 5–7 also close the old server of a restart, or from
 * Vite 8 on the internal _closeServer() that both close() and a restart use.
 * A restart then copies the new server's methods, which count the new
 * server, onto the old object.
 */
function whenClosed(server: ViteDevServer, closed: () => void): void {
  const target = server as ViteDevServer & { _closeServer?: (...args: unknown[]) => Promise<void> }
  const name = typeof target._closeServer === 'function' ? '_closeServer' : 'close'
  const original = target[name]!
  let done = false
  target[name] = async function (this: unknown, ...args: unknown[]) {
    try {
      return await (original as (...args: unknown[]) => Promise<void>).apply(this, args)
    }
    finally {
      if (!done) {
        done = true
        closed()
      }
    }
  }
}

export function serveDevFiles(server: ViteDevServer) {
  const { root } = server.config
  openServers.set(root, (openServers.get(root) ?? 0) + 1)
  whenClosed(server, () => serverClosed(root))
  server.middlewares.use((req, res, next) => {
    const path = req.url?.split('?')[0] ?? ''
    const at = path.indexOf(`/${DEV_PATH}`)
    if (at === -1)
      return next()
    const file = devFiles.get(decodeURIComponent(path.slice(at + DEV_PATH.length + 1)))?.file
    if (!file) {
      res.statusCode = 404
      return res.end('Not an ai-assets file: no import of this dev server gave this URL')
    }
    res.setHeader('Content-Type', MIME_TYPES[file.derivative.format])
    // Names are content-hashed: a new image is a new URL.
    res.setHeader('Cache-Control', 'max-age=31536000, immutable')
    res.end(file.derivative.data)
  })
}

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
