/**
 * fixtures/app built for the browser by each of the six bundlers, run as a
 * page would run it: every image URL the app renders must point at a file of
 * the output folder that decodes at the advertised size, with every
 * bundler's own idea of public paths (Vite base, webpack/Rspack publicPath
 * fixed and 'auto', esbuild publicPath, Rollup/Rolldown output layout).
 */
import type { BuildOptions, Bundler } from './bundlers'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixture, listFiles, readText } from '../helpers'
import { buildWith, entryFile } from './bundlers'
import { checkRenderedImages, renderedImages, runPage } from './page'

/**
 * What fixtures/app imports: hero and badge and icons/bolt whole (WebP, and the JPEG
 * fallback), logo with ?url (so only its src, the fallback's largest), never `unused`.
 */
const EXPECTED_FILES = [
  'assets/badge-32.HASH.jpg',
  'assets/badge-32.HASH.webp',
  'assets/hero-160.HASH.jpg',
  'assets/hero-160.HASH.webp',
  'assets/hero-80.HASH.jpg',
  'assets/hero-80.HASH.webp',
  'assets/icons/bolt-24.HASH.jpg',
  'assets/icons/bolt-24.HASH.webp',
  'assets/logo-96.HASH.jpg',
]

/** A file name without its content hash, which these lists cannot know. */
const unhashed = (file: string) => file.replace(/\.[0-9a-f]{8}\./, '.HASH.')

interface Case {
  bundler: Bundler
  title: string
  options: Partial<BuildOptions>
  /** Where the output folder is served. */
  mount: string
  /** What the URLs in the code must look like. */
  code: RegExp
}

const CASES: Case[] = [
  { bundler: 'vite', title: 'base /app/', options: { publicPath: '/app/' }, mount: '/app/', code: /"\/app\/assets\/hero-160\./ },
  { bundler: 'vite', title: 'base ./', options: { publicPath: './' }, mount: '/deep/site/', code: /assets\/hero-160\./ },
  { bundler: 'rollup', title: 'entry in js/', options: { entryFileNames: 'js/[name].js' }, mount: '/app/', code: /new URL\('\.\.\/assets\/hero-160\./ },
  { bundler: 'rolldown', title: 'entry in js/', options: { entryFileNames: 'js/[name].js' }, mount: '/app/', code: /new URL\("\.\.\/assets\/hero-160\./ },
  { bundler: 'webpack', title: 'publicPath \'auto\', entry in js/', options: { entryFileNames: 'js/[name].js' }, mount: '/app/', code: /__webpack_require__\.p \+ "assets\/hero-160\./ },
  { bundler: 'webpack', title: 'publicPath /app/', options: { publicPath: '/app/' }, mount: '/app/', code: /__webpack_require__\.p = "\/app\/"/ },
  { bundler: 'rspack', title: 'publicPath \'auto\', entry in js/', options: { entryFileNames: 'js/[name].js', publicPath: 'auto' }, mount: '/app/', code: /__webpack_require__\.p \+ "assets\/hero-160\./ },
  { bundler: 'rspack', title: 'publicPath /app/', options: { publicPath: '/app/' }, mount: '/app/', code: /__webpack_require__\.p = "\/app\/"/ },
  { bundler: 'esbuild', title: 'publicPath /app/', options: { publicPath: '/app/' }, mount: '/app/', code: /"\/app\/assets\/hero-160\./ },
  { bundler: 'esbuild', title: 'no publicPath', options: {}, mount: '/app/', code: /"\.\/assets\/hero-160\./ },
]

let root: string
/** `<bundler> <title>` → image files of its output. */
const outputs = new Map<string, string[]>()

beforeAll(() => {
  root = copyFixture('app')
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe.each(CASES)('$bundler, $title', ({ bundler, title, options, mount, code }) => {
  it('renders images whose every URL points at an emitted file of the advertised size', async () => {
    const dts = join(root, 'ai-assets.d.ts')
    rmSync(dts, { force: true })
    const build: BuildOptions = { root, entries: { main: 'src/main.js' }, outDir: `dist-${bundler}-${outputs.size}`, target: 'browser', ...options }
    if (bundler === 'rollup')
      build.plugin = { config: join(root, 'assets.config.ts') }
    const dist = await buildWith(bundler, build)

    // Content-hashed files, only those of imported assets, in the output folder.
    const images = listFiles(dist).filter(file => file.startsWith('assets/'))
    expect(images.map(unhashed).sort()).toEqual(EXPECTED_FILES)
    outputs.set(`${bundler} ${title}`, images)
    expect(readText(dist, file => file.endsWith('.js'))).toMatch(code)

    const html = runPage(dist, mount, [entryFile(bundler, build, 'main')]).app!
    const rendered = renderedImages(html)
    expect(rendered.map(r => `${r.tag}:${r.name}`)).toEqual(['source:hero', 'img:hero', 'source:badge', 'img:badge', 'source:icons/bolt', 'img:icons/bolt', 'img:logo?url'])
    expect(rendered.find(r => r.name === 'hero' && r.tag === 'img')!.attributes).toMatchObject({ width: '160', height: '80', alt: 'A cabin among tall pines' })
    const checked = await checkRenderedImages(dist, mount, html)
    // Every emitted file is used by the page, and every URL was checked.
    expect([...checked].sort()).toEqual(images)

    // The generated declarations, in every bundler.
    expect(existsSync(dts)).toBe(true)
  })
})

it('gives the same file names in every bundler', () => {
  expect(outputs.size).toBe(CASES.length)
  const [first, ...others] = [...outputs.values()]
  for (const other of others)
    expect(other).toEqual(first)
})
