import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
/**
 * fixtures/picture: `formats: ['avif', 'webp']`, built by Vite, its page
 * rendered by `renderPicture` and loaded in headless Chromium from a server on
 * 127.0.0.1. The `<img>` fallback must be a JPEG (a PNG for the transparent
 * logo) of the declared size, the `<source>`s AVIF then WebP, and Chromium
 * must pick the AVIF whose width fits the viewport and `sizes`.
 */
import type { BrowserContext } from 'playwright-core'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureChromium } from '../../scripts/find-browser.mjs'
import { copyFixture, decode, viteBuild } from '../helpers'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.avif': 'image/avif', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png' }

/** Serves `dir` on 127.0.0.1, on a port the OS picks. */
async function serve(dir: string): Promise<{ server: Server, origin: string }> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url!, 'http://x').pathname)).replace(/^\/+/, '') || 'index.html'
    try {
      const body = await readFile(join(dir, path))
      response.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body)
    }
    catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

interface Rendered {
  sources: { type: string, srcset: string, sizes: string }[]
  img: Record<string, string>
  currentSrc: string
  naturalWidth: number
}

describe('a built page with <picture>s', () => {
  let dist: string
  let server: Server
  let origin: string
  let browser: BrowserContext
  let profile: string

  beforeAll(async () => {
    dist = await viteBuild(copyFixture('picture'), { dts: false })
    ;({ server, origin } = await serve(dist))
    // The machine's Chromium (installed first when there is none), with a fresh profile.
    const executablePath = ensureChromium()
    profile = mkdtempSync(join(tmpdir(), 'ai-assets-chromium-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 800, height: 600 },
      deviceScaleFactor: 1,
    })
  }, 600_000) // an install of Chromium takes minutes
  afterAll(async () => {
    await browser?.close()
    server?.close()
    if (profile)
      rmSync(profile, { recursive: true, force: true })
  })

  /** Opens the page at a viewport width and reads each <picture> once its image has loaded. */
  async function open(width: number): Promise<Rendered[]> {
    const page = await browser.newPage()
    try {
      await page.setViewportSize({ width, height: 600 })
      await page.goto(`${origin}/`, { waitUntil: 'load' })
      // A string: this project's types have no DOM.
      await page.waitForFunction('document.images.length === 2 && [...document.images].every(img => img.complete && img.naturalWidth > 0)')
      return await page.$$eval('picture', pictures => pictures.map((picture) => {
        const img = picture.querySelector('img')!
        return {
          sources: [...picture.querySelectorAll('source')].map(s => ({ type: s.type, srcset: s.srcset, sizes: s.sizes })),
          img: Object.fromEntries([...img.attributes].map(a => [a.name, a.value])),
          currentSrc: img.currentSrc,
          naturalWidth: img.naturalWidth,
        }
      }))
    }
    finally {
      await page.close()
    }
  }

  it('has a JPEG fallback of the declared size for the opaque hero, a PNG with alpha for the logo, and AVIF then WebP sources', async () => {
    const [hero, logo] = await open(800)
    expect(hero!.sources.map(s => s.type)).toEqual(['image/avif', 'image/webp'])
    expect(hero!.img).toMatchObject({ width: '960', height: '480', sizes: '50vw', alt: 'A "gradient" <hero> & more', loading: 'eager', decoding: 'async' })
    expect(hero!.img.src).toMatch(/^\/assets\/hero-960\.[0-9a-f]{8}\.jpg$/)
    expect(await decode(join(dist, hero!.img.src!))).toEqual({ width: 960, height: 480, format: 'jpeg' })
    for (const [url, width] of hero!.img.srcset!.split(', ').map(c => c.split(' ')))
      expect(await decode(join(dist, url!))).toMatchObject({ width: Number.parseInt(width!), format: 'jpeg' })
    for (const [source, format] of [[hero!.sources[0]!, 'heif'], [hero!.sources[1]!, 'webp']] as const) {
      expect(source.sizes).toBe('50vw')
      for (const [url, width] of source.srcset.split(', ').map(c => c.split(' ')))
        expect(await decode(join(dist, url!))).toMatchObject({ width: Number.parseInt(width!), height: Number.parseInt(width!) / 2, format })
    }
    // An opaque image shows its blurred placeholder until it loads; the transparent logo shows none.
    expect(hero!.img.style).toMatch(/^background-color:#[0-9a-f]{6};background-image:url\("data:image\/webp;base64,/)

    expect(logo!.sources.map(s => s.type)).toEqual(['image/avif', 'image/webp'])
    expect(logo!.img).toMatchObject({ width: '256', height: '256', class: 'logo', alt: 'Logo' })
    expect(logo!.img.style).toBeUndefined()
    const png = await sharp(join(dist, logo!.img.src!)).metadata()
    expect([png.format, png.width, png.height, png.hasAlpha]).toEqual(['png', 256, 256, true])
    // Its corner is transparent, as in the original.
    const { data } = await sharp(join(dist, logo!.img.src!)).raw().toBuffer({ resolveWithObject: true })
    expect(data[3]).toBe(0)
  })

  it.each([
    // sizes="50vw": 400 CSS px at an 800 px viewport, so the 480 w candidate; 800 px at 1600, so 960 w.
    [800, 480],
    [1600, 960],
    // 150 px at 300: the smallest, 320 w.
    [300, 320],
  ])('at a %i px viewport, Chromium loads the %i px AVIF', async (viewport, width) => {
    const [hero] = await open(viewport)
    expect(hero!.currentSrc).toMatch(new RegExp(`^${origin}/assets/hero-${width}\\.[0-9a-f]{8}\\.avif$`))
    expect(await decode(join(dist, new URL(hero!.currentSrc).pathname))).toMatchObject({ width, format: 'heif' })
    // With w descriptors, naturalWidth is the file's width scaled to the slot `sizes` gives: half the viewport.
    expect(Math.abs(hero!.naturalWidth - viewport / 2)).toBeLessThanOrEqual(1)
  })
})
