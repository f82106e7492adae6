/**
 * Every Vite major of the peer range (5 to 8, installed side by side as npm
 * aliases): real client and SSR builds of one fixture. The SSR bundle,
 * evaluated in Node, must give URLs under `base` (never the builder's
 * `file://` paths), the client bundle must name the same files, and those
 * files must be emitted and decode at their width. Client and SSR builds run
 * at once with one plugin object, as VitePress runs them.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import AiAssets from '../../src/vite'
import { copyFixture, decode, listFiles, readText } from '../helpers'

const MAJORS = { 5: 'vite5', 6: 'vite6', 7: 'vite7', 8: 'vite' } as const

async function build(vite: string, root: string, base: string, outDir: string, ssr?: string, plugin = AiAssets({ frozen: false })) {
  const { build } = await import(vite) as typeof import('vite')
  await build({
    root,
    base,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    build: { outDir, emptyOutDir: true, ssr, minify: false },
  })
  return join(root, outDir)
}

const js = (dir: string) => readText(dir, file => file.endsWith('.js'))
const names = (code: string) => [...new Set([...code.matchAll(/assets\/(?:hero|logo)-\d+\.[0-9a-f]{8}\.\w+/g)].map(m => m[0]))].sort()

describe.each(Object.entries(MAJORS))('Vite %s', (major, vite) => {
  it('gives URLs under base in the client and in the evaluated SSR bundle, never file://', async () => {
    const root = copyFixture('counting')
    const { version } = await import(`${vite}/package.json`, { with: { type: 'json' } }).then(m => m.default)
    expect(version.split('.')[0]).toBe(major)

    const plugin = AiAssets({ frozen: false })
    const [client, server] = await Promise.all([
      build(vite, root, '/sub/', 'dist', undefined, plugin),
      build(vite, root, '/sub/', 'dist-ssr', 'src/ssr.js', plugin),
    ])
    const { hero, logoUrl } = await import(pathToFileURL(join(server, 'ssr.js')).href)
    const urls: string[] = [hero.src, logoUrl, ...hero.srcset.split(', ').map((s: string) => s.split(' ')[0]), ...hero.sources.flatMap((s: { srcset: string }) => s.srcset.split(', ').map(x => x.split(' ')[0]))]
    for (const url of urls) {
      expect(url).toMatch(/^\/sub\/assets\/(?:hero|logo)-\d+\.[0-9a-f]{8}\.(?:webp|avif|jpg|png)$/)
      // The URL names a file of the client build.
      expect(existsSync(join(client, url.slice('/sub/'.length))), url).toBe(true)
    }
    expect(hero.src).toMatch(/^\/sub\/assets\/hero-600\./)
    expect(await decode(join(client, hero.src.slice('/sub/'.length)))).toEqual({ width: 600, height: 300, format: 'jpeg' })

    const clientCode = js(client)
    expect(clientCode).not.toContain('file://')
    expect(clientCode).not.toContain('__VITE_ASSET__')
    expect(names(clientCode)).toEqual(names(urls.join(' ')))
    for (const url of urls)
      expect(clientCode).toContain(url)
    const images = listFiles(client).filter(file => /\.(?:webp|avif|jpg|png)$/.test(file))
    expect(images).toEqual(names(urls.join(' ')))
  })

  it('gives relative URLs with base ./ in the client', async () => {
    const root = copyFixture('counting')
    const client = await build(vite, root, './', 'dist-rel')
    const code = js(client)
    // The chunk sits in assets/ beside the images: URLs are resolved against it at run time.
    expect(code).toMatch(/new URL\(["']hero-600\.[0-9a-f]{8}\.jpg["'],\s*import\.meta\.url\)/)
    expect(code).not.toMatch(/["']\/assets\//)
    for (const name of names(code))
      expect(existsSync(join(client, name)), name).toBe(true)
  })
})
