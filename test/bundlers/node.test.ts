/**
 * A Node-target build of fixtures/app/src/node.js by each bundler, run with
 * node: it prints the imported GeneratedImage objects, which must have the
 * shape README "What an import gives" shows, point at files of the output folder, and be the same
 * object (up to how each bundler writes a URL) in every bundler.
 */
import type { Bundler } from './bundlers'
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { copyFixture, decode } from '../helpers'
import { buildWith, BUNDLERS, entryFile } from './bundlers'
import { parseSrcset } from './page'

const KEYS = ['alt', 'color', 'format', 'height', 'placeholder', 'sizes', 'sources', 'src', 'srcset', 'transparent', 'width']

let root: string
const printed = new Map<Bundler, any>()

beforeAll(() => {
  root = copyFixture('app')
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

/** A URL as printed by a Node build (file: URL, relative or root-relative path) → a file of the output folder. */
function outputFile(dir: string, url: string): string {
  if (url.startsWith('file:'))
    return fileURLToPath(url)
  return join(dir, url.replace(/^\.?\//, ''))
}

/** The same URL without what differs between bundlers: `assets/…`. */
const portable = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/[^" ]*(assets\/[\w/-]+\.[0-9a-f]{8}\.(?:webp|jpg))/g, '$1'))

function channels(color: string): number[] {
  return color.slice(1).match(/../g)!.map(hex => Number.parseInt(hex, 16))
}

it.each(BUNDLERS)('%s: the printed GeneratedImage objects', async (bundler) => {
  const build = { root, entries: { node: 'src/node.js' }, outDir: `node-${bundler}`, target: 'node' as const, plugin: bundler === 'rollup' ? { config: join(root, 'assets.config.ts') } : {} }
  const dir = await buildWith(bundler, build)
  const output = execFileSync(process.execPath, [join(dir, entryFile(bundler, build, 'node'))], { encoding: 'utf8' })
  const { hero, badge, bolt, logoUrl, heroSrcset } = JSON.parse(output)
  expect(heroSrcset).toBe(hero.srcset)
  printed.set(bundler, { hero, badge, bolt, logoUrl })

  for (const image of [hero, badge, bolt]) {
    expect(Object.keys(image).sort()).toEqual(KEYS)
    // formats: ['webp'] and opaque originals: the <img> fallback is a JPEG; sources hold the WebP.
    expect(image.format).toBe('jpeg')
    expect(image.sizes).toBe('100vw')
    expect(image.transparent).toBe(false)
    expect(image.sources.map((source: { type: string }) => source.type)).toEqual(['image/webp'])
    // The WebP source has the same widths as the fallback, each a WebP file of that width.
    const webp = parseSrcset(image.sources[0].srcset)
    expect(webp.map(([, width]) => width)).toEqual(parseSrcset(image.srcset).map(([, width]) => width))
    for (const [url, width] of webp)
      expect(await decode(outputFile(dir, url))).toMatchObject({ width, format: 'webp' })
    expect(image.placeholder).toMatch(/^data:image\/webp;base64,/)
    expect(image.placeholder.length).toBeLessThan(1024)
    expect(image.color).toMatch(/^#[0-9a-f]{6}$/)
    // src is the largest width of srcset, and every URL is a file of that width.
    const srcset = parseSrcset(image.srcset)
    expect(srcset.at(-1)![0]).toBe(image.src)
    for (const [url, width] of srcset) {
      const file = outputFile(dir, url)
      expect(existsSync(file), `${url} → ${file}`).toBe(true)
      expect((await decode(file)).width).toBe(width)
    }
    expect(await decode(outputFile(dir, image.src))).toEqual({ width: image.width, height: image.height, format: 'jpeg' })
  }
  expect(hero).toMatchObject({ width: 160, height: 80, alt: 'A cabin among tall pines' })
  expect(parseSrcset(hero.srcset).map(([, width]) => width)).toEqual([80, 160])
  expect(badge).toMatchObject({ width: 32, height: 32, alt: 'Badge' })
  expect(bolt).toMatchObject({ width: 24, height: 24, alt: '' })
  // hero is drawn in the palette's #ff6b35, badge after the reference image (#1478c8).
  channels(hero.color).forEach((value, i) => expect(Math.abs(value - [0xFF, 0x6B, 0x35][i]!)).toBeLessThanOrEqual(8))
  channels(badge.color).forEach((value, i) => expect(Math.abs(value - [0x14, 0x78, 0xC8][i]!)).toBeLessThanOrEqual(8))
  // ?url gives src: the fallback's largest width.
  expect(logoUrl).toMatch(/assets\/logo-96\.[0-9a-f]{8}\.jpg$/)
  expect(await decode(outputFile(dir, logoUrl))).toEqual({ width: 96, height: 96, format: 'jpeg' })
})

it('prints the same objects in every bundler, up to the form of a URL', () => {
  expect([...printed.keys()]).toEqual([...BUNDLERS])
  const [first, ...others] = [...printed.values()].map(portable)
  expect(first.hero.src).toMatch(/^assets\/hero-160\.[0-9a-f]{8}\.jpg$/)
  for (const other of others)
    expect(other).toEqual(first)
})
