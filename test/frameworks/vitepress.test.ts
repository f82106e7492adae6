/**
 * VitePress with the Vite plugin in `vite.plugins`: VitePress 1.6 (Vite 5) and
 * the VitePress 2 alpha (Vite 8). `vitepress build` prerenders the page on the
 * server, so its image URLs come from the SSR bundle; `vitepress dev` serves them.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bin, clean, expectEmitted, expectServed, fixture, freePort, imageRefs, imageTags, read, renderInBrowser, run, startDev } from './frameworks'

// Outputs; the caches (VitePress's, the derivatives') stay warm, as in a project.
const OUTPUTS = ['docs/.vitepress/dist', 'docs/.vitepress/.temp']

describe.each([
  { name: 'vitepress', version: /^1\.6\./ },
  { name: 'vitepress-2', version: /^2\.0\.0-alpha\./ },
])('$name', ({ name, version }) => {
  const dir = fixture(name)

  it('vitepress build emits the images that the prerendered page points at, with no file:// URL', async () => {
    expect(JSON.parse(read(join(dir, 'node_modules', 'vitepress', 'package.json'))).version).toMatch(version)
    clean(dir, OUTPUTS)
    await run(bin(dir, 'vitepress'), ['build', 'docs'], dir)
    const dist = join(dir, 'docs', '.vitepress', 'dist')
    const html = read(join(dist, 'index.html'))
    expect(html).not.toContain('file://')
    expect(imageTags(html)).toMatch(/<img id="logo" src="\/assets\/logo-128\.[0-9a-f]{8}\.png"/)
    // The Vue Picture component, rendered on the server.
    expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\s[^>]*type="image\/webp"/)
    const files = await expectEmitted(dist, imageRefs(html))
    for (const file of files)
      expect(file).toMatch(/\/dist\/assets\/(?:hero-(?:320|640)|logo-128)\.[0-9a-f]{8}\.\w+$/)
  }, 180_000)

  it('vitepress dev serves every image of the page, as Chromium renders it, with 200', async () => {
    clean(dir, OUTPUTS)
    const port = await freePort()
    const server = await startDev(bin(dir, 'vitepress'), ['dev', 'docs', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], dir, /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/)
    try {
      // In dev, VitePress renders the page in the browser: its HTML has no image before that.
      const html = await renderInBrowser(server.url, 'img#plain')
      const images = imageTags(html)
      expect(images).toMatch(/<img id="plain" src="[^"]*\/hero-640\.[0-9a-f]{8}\.\w+"/)
      await expectServed(server.url, imageRefs(html))
      expect(images).toMatch(/<picture\b/)
    }
    finally {
      await server.close()
    }
  }, 180_000)
})
