/**
 * `vite dev` serves the files of the modules it made from a middleware,
 * reading each from the derivative cache when it is asked for: a session
 * that shows a thousand assets holds their names, not their bytes.
 */
import type { ViteDevServer } from 'vite'
import type { OutputFormat } from '../derive/formats'
import type { OutputFile } from '../output/emitted-files'
import { knownSha256 } from '../derive/cache'
import { MIME_TYPES } from '../derive/formats'

const DEV_PATH = '@ai-assets/'

/**
 * What is kept of a file: how to read its bytes again (every derivative is
 * in the derivative cache), not the bytes, which would grow with every asset
 * the session showed.
 */
interface DevFile {
  format: OutputFormat
  read: () => Promise<Buffer | undefined>
}

/**
 * Every file a module of a dev server of this process points at, by name,
 * with the number of modules that do. One registry for the whole process, not
 * one per server: frameworks run several dev servers at once (Nuxt a client
 * and a server one, Astro one for types and one for pages), and HTML rendered
 * by one of them carries URLs that the browser asks of another. Names are
 * content-hashed, so a name always means the same bytes, whichever server
 * registered it. A file no module points at any more (its asset was edited,
 * its module made again) is let go: a long session holds the names of what
 * it serves now, not of every version of every asset it went through.
 */
const devFiles = new Map<string, { file: DevFile, modules: number }>()

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
      devFiles.set(name, { file: { format: file.derivative.format, read: file.derivative.reread }, modules: 1 })
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
    const name = decodeURIComponent(path.slice(at + DEV_PATH.length + 1))
    const file = devFiles.get(name)?.file
    if (!file) {
      res.statusCode = 404
      return res.end('Not an ai-assets file: no import of this dev server gave this URL')
    }
    file.read().then((data) => {
      // Names are content-hashed (`<name>-<width>.<hash8>.<ext>`): only the bytes the name says are served.
      if (!data || knownSha256(data)?.slice(0, 8) !== name.split('.').at(-2)) {
        res.statusCode = 410
        return res.end(`ai-assets: ${name} is no longer in the derivative cache (node_modules/.cache/ai-assets/derivatives/ was emptied or changed while the dev server ran). Restart the dev server to make it again`)
      }
      res.setHeader('Content-Type', MIME_TYPES[file.format])
      // A new image is a new URL.
      res.setHeader('Cache-Control', 'max-age=31536000, immutable')
      res.end(data)
    }, next)
  })
}
