import type { ViteDevServer } from 'vite'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'vite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { sha256 } from '../../src/common/hash'
import AiAssets from '../../src/vite'
import { copyFixture, decode, edit } from '../helpers'

const calls = () => ((globalThis as any).__aiAssetsCalls ??= []) as { asset: string }[]
let server: ViteDevServer | undefined

beforeEach(() => {
  calls().length = 0
})
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function startDev(root: string, base = '/') {
  server = await createServer({
    root,
    base,
    configFile: false,
    logLevel: 'silent',
    plugins: [AiAssets({ frozen: false })],
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: {} },
    optimizeDeps: { noDiscovery: true, include: [] },
  })
  await server.listen()
  const address = server.httpServer!.address() as { port: number }
  return `http://127.0.0.1:${address.port}`
}

const virtual = (name: string) => `@id/__x00__ai-assets:${name}.js`

describe('vite dev', () => {
  it('generates a missing asset on its first import and serves its derivatives with the right bytes', async () => {
    const root = copyFixture('counting')
    const origin = await startDev(root, '/app/')
    expect(calls()).toHaveLength(0)

    const code = await (await fetch(`${origin}/app/${virtual('hero')}`)).text()
    expect(calls().map(c => c.asset)).toEqual(['hero'])
    const urls = [...code.matchAll(/"(\/app\/@ai-assets\/assets\/hero-(\d+)\.([0-9a-f]{8})\.(webp|avif))"/g)]
    expect(urls).toHaveLength(4)
    for (const [, url, width, hash, ext] of urls) {
      const response = await fetch(`${origin}${url}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe(`image/${ext}`)
      const bytes = Buffer.from(await response.arrayBuffer())
      // Content-hashed names: the bytes served are the bytes named.
      expect(sha256(bytes).slice(0, 8)).toBe(hash)
      expect(await decode(bytes)).toMatchObject({ width: Number(width), height: Number(width) / 2 })
    }

    // Already generated: a second import (here ?url) calls nothing.
    const urlCode = await (await fetch(`${origin}/app/${virtual('logo.url')}`)).text()
    expect(urlCode).toMatch(/"\/app\/@ai-assets\/assets\/logo-1024\.[0-9a-f]{8}\.png"/)
    await fetch(`${origin}/app/${virtual('hero')}`)
    expect(calls().map(c => c.asset)).toEqual(['hero', 'logo'])
    expect((await fetch(`${origin}/app/@ai-assets/assets/nope-1.00000000.webp`)).status).toBe(404)
  })

  it('reloads the importers of an asset whose config changed, and only those; lets go of the files of its old image', async () => {
    const root = copyFixture('counting')
    // Painted in another colour than in the other tests, so that its files have names of their own in this process.
    edit(join(root, 'assets.config.ts'), text => text.replace(`prompt: 'A cozy cabin in the woods',`, `prompt: 'A cozy cabin in the woods', palette: 'night',`))
    const origin = await startDev(root)
    const messages: { type: string }[] = []
    const socket = new WebSocket(origin.replace('http', 'ws'), 'vite-hmr')
    socket.on('message', data => messages.push(JSON.parse(String(data))))
    await new Promise(resolve => socket.once('open', resolve))
    try {
      await fetch(`${origin}/src/main.js`)
      const heroCode = await (await fetch(`${origin}/${virtual('hero')}`)).text()
      expect(heroCode).toContain('A cabin among tall pines')
      const fileUrls = (code: string) => [...code.matchAll(/"(\/@ai-assets\/assets\/hero-\d+\.[0-9a-f]{8}\.(?:webp|avif))"/g)].map(m => m[1]!)
      const oldUrls = fileUrls(heroCode)
      expect(oldUrls).toHaveLength(4)
      const reloads = () => messages.filter(m => m.type === 'full-reload' || m.type === 'update')

      // An asset nobody imports changes: nobody reloads.
      edit(join(root, 'assets.config.ts'), text => text.replace('A card that nobody imports', 'A card still not imported'))
      await new Promise(resolve => setTimeout(resolve, 1500))
      expect(reloads()).toHaveLength(0)

      edit(join(root, 'assets.config.ts'), text => text.replace('A cabin among tall pines', 'Tall pines around a cabin'))
      await expect.poll(() => reloads().length, { timeout: 10_000 }).toBeGreaterThan(0)
      expect(await (await fetch(`${origin}/${virtual('hero')}`)).text()).toContain('Tall pines around a cabin')
      // Its alt changed, not its image: the same files.
      expect(fileUrls(await (await fetch(`${origin}/${virtual('hero')}`)).text())).toEqual(oldUrls)

      // Another palette: a new image (the fixture's provider paints the first colour). Its files are served;
      // the old ones, which no module points at any more, are let go.
      const reloaded = reloads().length
      edit(join(root, 'assets.config.ts'), text => text.replace(` palette: 'night',`, ''))
      await expect.poll(() => reloads().length, { timeout: 10_000 }).toBeGreaterThan(reloaded)
      const newCode = await (await fetch(`${origin}/${virtual('hero')}`)).text()
      const newUrls = fileUrls(newCode)
      expect(newUrls).toHaveLength(4)
      expect(newUrls.filter(url => oldUrls.includes(url))).toEqual([])
      for (const url of newUrls)
        expect((await fetch(`${origin}${url}`)).status).toBe(200)
      for (const url of oldUrls)
        expect((await fetch(`${origin}${url}`)).status).toBe(404)
    }
    finally {
      socket.close()
    }
  })

  // Vite 5–7 close the old server of a restart through close(), Vite 8 through an internal method.
  it.each([['5', 'vite5'], ['6', 'vite6'], ['7', 'vite7'], ['8', 'vite']])('Vite %s: lets go of a project\'s files when its last dev server closes, not before', async (major, vite) => {
    const { createServer } = await import(vite) as typeof import('vite')
    // Colours of its own, so that no other test of this process serves files of these names.
    const root = copyFixture('counting')
    edit(join(root, 'assets.config.ts'), text => text.replace(`prompt: 'A cozy cabin in the woods',`, `prompt: 'A cozy cabin in the woods', colors: ['#2e8b${major}7'],`))
    const open = async (project: string) => {
      const dev = await createServer({ root: project, configFile: false, logLevel: 'silent', plugins: [AiAssets({ frozen: false })], server: { host: '127.0.0.1', port: 0, ws: false }, optimizeDeps: { noDiscovery: true, include: [] } })
      await dev.listen()
      return { dev, origin: `http://127.0.0.1:${(dev.httpServer!.address() as { port: number }).port}` }
    }
    const first = await open(root)
    const second = await open(root)
    const third = await open(copyFixture('counting'))
    try {
      const code = await (await fetch(`${first.origin}/${virtual('hero')}`)).text()
      const urls = [...code.matchAll(/"(\/@ai-assets\/assets\/hero-\d+\.[0-9a-f]{8}\.(?:webp|avif))"/g)].map(m => m[1]!)
      expect(urls).toHaveLength(4)
      // A connection of its own for each request: a restart may give a closed server's port to another.
      const statuses = (origin: string) => Promise.all(urls.map(async url => (await fetch(`${origin}${url}`, { headers: { connection: 'close' } })).status))

      // Another server of the same project still serves them once the first has closed, and after a
      // restart (which closes the old server and opens a new one, through Vite 8's own path).
      await first.dev.close()
      expect(await statuses(second.origin)).toEqual([200, 200, 200, 200])
      await second.dev.restart()
      second.origin = `http://127.0.0.1:${(second.dev.httpServer!.address() as { port: number }).port}`
      expect(await statuses(second.origin)).toEqual([200, 200, 200, 200])
      // Its last server closed, the project's files are let go: no server of the process serves them.
      await second.dev.close()
      expect(await statuses(third.origin)).toEqual([404, 404, 404, 404])
    }
    finally {
      await Promise.all([first, second, third].map(({ dev }) => dev.close()))
    }
  })

  it('reads each file from the derivative cache when it is asked for, rather than holding its bytes', async () => {
    const root = copyFixture('counting')
    edit(join(root, 'assets.config.ts'), text => text.replace(`prompt: 'A cozy cabin in the woods',`, `prompt: 'A cozy cabin in the woods', colors: ['#8b2e57'],`))
    const origin = await startDev(root)
    const code = await (await fetch(`${origin}/${virtual('hero')}`)).text()
    const [url] = code.match(/\/@ai-assets\/assets\/hero-\d+\.[0-9a-f]{8}\.webp/)!
    expect((await fetch(`${origin}${url}`)).status).toBe(200)

    // The cache emptied under the running server: nothing in memory to serve instead, and the message says what to do.
    rmSync(join(root, 'node_modules', '.cache', 'ai-assets', 'derivatives'), { recursive: true })
    const gone = await fetch(`${origin}${url}`)
    expect(gone.status).toBe(410)
    expect(await gone.text()).toMatch(/hero-\d+\.[0-9a-f]{8}\.webp is no longer in the derivative cache .*Restart the dev server to make it again/)
  })

  it('reports an invalid edit to the config and keeps serving', async () => {
    const root = copyFixture('counting')
    const origin = await startDev(root)
    const messages: { type: string, err?: { message: string } }[] = []
    const socket = new WebSocket(origin.replace('http', 'ws'), 'vite-hmr')
    socket.on('message', data => messages.push(JSON.parse(String(data))))
    await new Promise(resolve => socket.once('open', resolve))
    try {
      await fetch(`${origin}/${virtual('hero')}`)
      edit(join(root, 'assets.config.ts'), text => text.replace(`size: '1536x768'`, `size: 'wide'`))
      await expect.poll(() => messages.find(m => m.type === 'error')?.err?.message, { timeout: 10_000 })
        .toMatch(/assets\.config\.ts: asset "hero", field "size": "wide" is not accepted/)
      expect((await fetch(`${origin}/${virtual('hero')}`)).status).toBe(200)
    }
    finally {
      socket.close()
    }
  })
})
