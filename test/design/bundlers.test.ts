/**
 * An SVG asset in every bundler: a Node build of an entry importing the
 * GeneratedImage and `?raw`, run with node. Each gives the same `.svg` file
 * (format 'svg', its size) and the same sanitised markup. The provider is a
 * custom one whose `vectorize` answers a malicious SVG, so that what ships
 * is the sanitiser's work in every bundler.
 */
import type { Bundler } from '../bundlers/bundlers'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildWith, BUNDLERS, entryFile } from '../bundlers/bundlers'
import { copyFixture } from '../helpers'

let root: string
const printed = new Map<Bundler, { mark: any, raw: string }>()

beforeAll(() => {
  root = copyFixture('app')
  writeFileSync(join(root, 'assets.config.ts'), `import sharp from 'sharp'
import { defineAssets } from 'unplugin-ai-assets'
import { maliciousSvg } from '../../../test/fakes/svgs'

export default defineAssets({
  provider: {
    name: 'solid',
    model: 'solid-1',
    async generate({ width, height }) {
      return { images: [await sharp({ create: { width, height, channels: 3, background: '#ff6b35' } }).png().toBuffer()] }
    },
    async vectorize({ image }) {
      const { width, height } = await sharp(image).metadata()
      return { image: maliciousSvg(width, height), cost: 0.01 }
    },
  },
  assets: { mark: { prompt: 'A mark', size: '96x96', vectorize: true, formats: ['svg', 'png'], widths: [48] } },
})
`)
  writeFileSync(join(root, 'src/svg.js'), `import mark from '~ai-assets/mark'\nimport raw from '~ai-assets/mark?raw'\nconsole.log(JSON.stringify({ mark, raw }))\n`)
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

const outputFile = (dir: string, url: string) => url.startsWith('file:') ? fileURLToPath(url) : join(dir, url.replace(/^\.?\//, ''))

it.each(BUNDLERS)('%s: an SVG asset gives its sanitised .svg and ?raw markup', async (bundler) => {
  const build = { root, entries: { svg: 'src/svg.js' }, outDir: `svg-${bundler}`, target: 'node' as const, plugin: bundler === 'rollup' ? { config: join(root, 'assets.config.ts') } : {} }
  const dir = await buildWith(bundler, build)
  const { mark, raw } = JSON.parse(execFileSync(process.execPath, [join(dir, entryFile(bundler, build, 'svg'))], { encoding: 'utf8' }))
  expect(mark).toMatchObject({ format: 'svg', width: 96, height: 96 })
  expect(mark.src).toMatch(/mark-96\.[0-9a-f]{8}\.svg$/)
  expect(mark.sources.map((s: { type: string }) => s.type)).toEqual(['image/svg+xml', 'image/png'])
  const file = readFileSync(outputFile(dir, mark.src), 'utf8')
  expect(file).toBe(raw)
  expect(raw).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  expect(raw).not.toMatch(/<script|onload|onclick|javascript:|evil\.example|foreignObject/)
  printed.set(bundler, { mark, raw })
  // Every bundler ships the same markup.
  expect(printed.get(BUNDLERS[0])?.raw ?? raw).toBe(raw)
})
