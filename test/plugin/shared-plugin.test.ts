/**
 * One plugin object, several Vite dev servers and builds in one process, as
 * Astro (a dev server for types, then the build), Nuxt (a client and a server
 * dev server), SvelteKit and Vitest do: each keeps its own mode, files and URLs.
 */
import type { ViteDevServer } from 'vite'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import AiAssets from '../../src/vite'
import { copyFixture, decode, edit, listFiles, readText } from '../helpers'

type Plugin = ReturnType<typeof AiAssets>
type Vite = typeof import('vite')
const MAJORS = { 5: 'vite5', 6: 'vite6', 7: 'vite7', 8: 'vite' } as const
const servers: ViteDevServer[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function serve(vite: Vite, root: string, plugin: Plugin, base = '/', hmr = false) {
  const server = await vite.createServer({
    root,
    base,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    server: { host: '127.0.0.1', port: 0, strictPort: false, ws: hmr ? {} : false },
    optimizeDeps: { noDiscovery: true, include: [] },
  })
  servers.push(server)
  await server.listen()
  const { port } = server.httpServer!.address() as { port: number }
  return { server, origin: `http://127.0.0.1:${port}` }
}

async function viteBuild(vite: Vite, root: string, plugin: Plugin, outDir: string) {
  await vite.build({ root, configFile: false, logLevel: 'silent', plugins: [plugin], build: { outDir, emptyOutDir: true } })
  return join(root, outDir)
}

/** The image URLs in a module's code, with the dev server's base. */
async function devUrls(origin: string, base: string) {
  const code = await (await fetch(`${origin}${base}@id/__x00__ai-assets:hero.js`)).text()
  return [...code.matchAll(/"([^"]*@ai-assets\/assets\/hero-\d+\.[0-9a-f]{8}\.\w+)"/g)].map(m => m[1]!)
}

async function expectServed(origin: string, url: string) {
  const response = await fetch(`${origin}${url}`)
  expect(response.status, `${origin}${url}`).toBe(200)
  const { width } = await decode(Buffer.from(await response.arrayBuffer()))
  expect(url).toContain(`-${width}.`)
}

describe.each(Object.entries(MAJORS))('one plugin object, Vite %s', (_, name) => {
  let vite: Vite
  beforeAll(async () => {
    vite = await import(name) as Vite
  })

  it('serves, then builds twice while the server runs: builds emit their images and no dev URL, the server keeps serving', async () => {
    const root = copyFixture('counting')
    const plugin = AiAssets({ frozen: false })
    const { origin } = await serve(vite, root, plugin)
    const urls = await devUrls(origin, '/')
    // 2 widths × webp, avif and the JPEG fallback.
    expect(urls).toHaveLength(6)

    for (const outDir of ['dist', 'dist2']) {
      const dist = await viteBuild(vite, root, plugin, outDir)
      const images = listFiles(dist).filter(file => /\.(?:webp|avif|jpg|png)$/.test(file))
      expect(images.filter(file => file.includes('hero-'))).toHaveLength(6)
      const output = readText(dist, file => /\.(?:js|html)$/.test(file))
      expect(output).not.toContain('@ai-assets/')
      for (const image of images)
        expect(output).toContain(`/${image}`)
    }

    // A module the server had not loaded yet is still made for the server, after both builds.
    const code = await (await fetch(`${origin}/@id/__x00__ai-assets:logo.url.js`)).text()
    const logo = /"(\/@ai-assets\/assets\/logo-1024\.[0-9a-f]{8}\.png)"/.exec(code)?.[1]
    expect(logo, code).toBeDefined()
    await expectServed(origin, logo!)
    for (const url of urls)
      await expectServed(origin, url)
  })

  it('serves two projects at once, each with its own base and images', async () => {
    const first = copyFixture('counting')
    const second = copyFixture('counting')
    // Another color: other bytes, other names.
    edit(join(second, 'assets.config.ts'), text => text.replace(`'#ff6b35'`, `'#3366ff'`))
    const plugin = AiAssets({ frozen: false })
    const a = await serve(vite, first, plugin, '/a/')
    const b = await serve(vite, second, plugin, '/b/')
    const urlsA = await devUrls(a.origin, '/a/')
    const urlsB = await devUrls(b.origin, '/b/')
    expect(urlsA).toHaveLength(6)
    expect(urlsB).toHaveLength(6)
    urlsA.forEach(url => expect(url).toMatch(/^\/a\/@ai-assets\//))
    urlsB.forEach(url => expect(url).toMatch(/^\/b\/@ai-assets\//))
    const file = (url: string) => url.replace(/^\/\w\//, '')
    expect(urlsA.map(file)).not.toEqual(urlsB.map(file))
    for (const url of urlsA)
      await expectServed(a.origin, url)
    for (const url of urlsB)
      await expectServed(b.origin, url)
  })

  it('answers 200 from the client dev server for URLs rendered by the server-side one (Nuxt)', async () => {
    const root = copyFixture('counting')
    const plugin = AiAssets({ frozen: false })
    const browserFacing = await serve(vite, root, plugin)
    const rendering = await serve(vite, root, plugin)
    // Server-side rendering: the URLs come out of the other server's module graph.
    const { hero, logoUrl } = await rendering.server.ssrLoadModule('/src/ssr.js')
    const urls: string[] = [logoUrl, ...hero.srcset.split(', ').map((s: string) => s.split(' ')[0])]
    expect(urls.length).toBeGreaterThan(1)
    for (const url of urls) {
      expect(url).toMatch(/^\/@ai-assets\/assets\//)
      await expectServed(browserFacing.origin, url)
    }
  })
})

describe('one plugin object, two dev servers of one project (Vite 8)', () => {
  it('reloads the asset\'s importers on both after a config edit', async () => {
    const vite = await import('vite')
    const root = copyFixture('counting')
    const plugin = AiAssets({ frozen: false })
    const servers = [await serve(vite, root, plugin, '/', true), await serve(vite, root, plugin, '/', true)]
    const reloads = servers.map(() => 0)
    const sockets = await Promise.all(servers.map(async ({ origin }, index) => {
      await devUrls(origin, '/')
      const socket = new WebSocket(origin.replace('http', 'ws'), 'vite-hmr')
      socket.on('message', (data) => {
        const { type } = JSON.parse(String(data))
        if (type === 'full-reload' || type === 'update')
          reloads[index]!++
      })
      await new Promise(resolve => socket.once('open', resolve))
      return socket
    }))
    try {
      // Whichever server reloads the shared pipeline first, the other must still see the change.
      edit(join(root, 'assets.config.ts'), text => text.replace('A cabin among tall pines', 'Tall pines around a cabin'))
      await expect.poll(() => reloads.every(count => count > 0), { timeout: 10_000 }).toBe(true)
      for (const { origin } of servers)
        expect(await (await fetch(`${origin}/@id/__x00__ai-assets:hero.js`)).text()).toContain('Tall pines around a cabin')
    }
    finally {
      sockets.forEach(socket => socket.close())
    }
  })
})
