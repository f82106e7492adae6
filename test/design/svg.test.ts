/**
 * SVG assets through a real Vite build against the Recraft fake: the vector
 * model is asked, the store keeps the provider's bytes, only sanitised markup
 * reaches the bundle, the import object and `?raw`, raster fallbacks are
 * rendered at the configured widths.
 */
import type { RecraftFake } from '../fakes/recraft'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { RECRAFT_CREDITS, startRecraftFake } from '../fakes/recraft'
import { MALICIOUS_MARKERS } from '../fakes/svgs'
import { listFiles, readText } from '../helpers'
import { useEnv } from '../providers/setup'
import { buildBoth, designProject, readLock } from './project'

const TOKEN = 'rc-token-SECRET-svg-51d2'
let fake: RecraftFake
const provider = (settings: Record<string, unknown> = {}) => ({ name: 'recraft', baseURL: `${fake.url}/v1`, retryDelay: 1, ...settings })

beforeAll(async () => {
  useEnv({ RECRAFT_API_TOKEN: TOKEN })
  fake = await startRecraftFake(TOKEN)
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

describe('SVG assets (vector: true)', () => {
  it('asks the vector model, stores the SVG as returned, ships it sanitised with raster fallbacks, and ?raw gives the markup', async () => {
    const dir = designProject({
      provider: provider({ responseFormat: 'url' }),
      assets: {
        'logo': { prompt: 'A mountain logo', vector: true, formats: ['svg', 'png'], alt: 'Acme' },
        'icons/bolt': { prompt: 'A lightning bolt icon', vector: true, colors: ['#ff6b35'] },
      },
      imports: { logo: 'logo', bolt: 'icons/bolt?raw' },
    })
    const { dist, exports } = await buildBoth(dir)

    // Two generations, each by the vector model of the default tier, and their downloads: nothing else.
    const api = fake.apiRequests
    expect(api.map(r => [r.path, r.json.model, r.json.size])).toEqual(expect.arrayContaining([
      ['/v1/images/generations', 'recraftv4_1_vector', '1024x1024'],
      ['/v1/images/generations', 'recraftv4_1_vector', '1024x1024'],
    ]))
    expect(api).toHaveLength(2)
    expect(api.find(r => r.json.prompt === 'A lightning bolt icon')!.json.controls).toEqual({ colors: [{ rgb: [255, 107, 53] }] })

    // The store holds the provider's bytes exactly (the download), named .svg, pinned by their sha256.
    const lock = readLock(dir)
    const downloads = fake.requests.filter(r => r.kind === 'download')
    expect(downloads).toHaveLength(2)
    for (const name of ['logo', 'icons/bolt']) {
      const entry = lock[name]
      expect(entry).toMatchObject({ model: 'recraftv4_1_vector', width: 1024, height: 1024, cost: RECRAFT_CREDITS.recraftv4_1_vector! / 1000 })
      expect(entry.file).toMatch(/\.svg$/)
      const stored = readFileSync(join(dir, 'ai-assets', entry.file))
      expect(sha256(stored)).toBe(entry.sha256)
      expect(stored.toString()).toMatch(/^<\?xml/)
      expect(stored.toString()).toContain('xlink:href')
    }

    // The import object: src is the .svg, with its size and format; then the PNG fallbacks.
    const { logo, bolt } = exports
    expect(logo).toMatchObject({ format: 'svg', width: 1024, height: 1024, alt: 'Acme' })
    expect(logo.src).toMatch(/^\/assets\/logo-1024\.[0-9a-f]{8}\.svg$/)
    expect(logo.sources.map((s: { type: string }) => s.type)).toEqual(['image/svg+xml', 'image/png'])
    expect(logo.sources[1].srcset).toMatch(/^\/assets\/logo-128\.[0-9a-f]{8}\.png 128w, \/assets\/logo-256\.[0-9a-f]{8}\.png 256w$/)

    // The emitted files: the sanitised, optimised SVG and a PNG per width, decoded.
    const files = listFiles(dist).filter(f => f.startsWith('assets/logo-'))
    expect(files).toHaveLength(3)
    const svgFile = files.find(f => f.endsWith('.svg'))!
    const shipped = readFileSync(join(dist, svgFile), 'utf8')
    expect(shipped.length).toBeLessThan(readFileSync(join(dir, 'ai-assets', lock.logo.file)).length)
    expect(shipped).toContain('viewBox="0 0 1024 1024"')
    expect(shipped).not.toContain('xlink:')
    expect(await sharp(Buffer.from(shipped)).metadata()).toMatchObject({ format: 'svg', width: 1024, height: 1024 })
    for (const width of [128, 256]) {
      const png = files.find(f => f.startsWith(`assets/logo-${width}.`) && f.endsWith('.png'))!
      expect(await sharp(join(dist, png)).metadata()).toMatchObject({ format: 'png', width, height: width })
    }
    // No raster of the ?raw icon is emitted: its markup is in the code.
    expect(listFiles(dist).some(f => f.includes('bolt'))).toBe(false)
    expect(bolt).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 1024 1024"/)
    // The client bundle inlines it (a path's data stands for the markup, whatever quotes the minifier chose).
    expect(readText(dist, f => f.endsWith('.js'))).toContain(/ d="([^"]+)"/.exec(bolt)![1])
  })

  it('never lets a script, handler, javascript: URL, external reference or foreignObject through to the bundle', async () => {
    fake.svgKind = 'malicious'
    const dir = designProject({
      provider: provider(),
      assets: { logo: { prompt: 'A logo', vector: true }, icon: { prompt: 'An icon', vector: true } },
      imports: { logo: 'logo', icon: 'icon?raw' },
    })
    const { dist, exports } = await buildBoth(dir)
    // The store keeps what the provider sent, attacks included: it is the record of what was paid for.
    const stored = readFileSync(join(dir, 'ai-assets', readLock(dir).logo.file), 'utf8')
    expect(stored).toContain('<script')
    // Everything the build wrote but Vite's own index.html (whose <script> is the entry).
    const shipped = [...listFiles(dist).filter(f => !f.endsWith('.html')).map(f => readFileSync(join(dist, f), 'utf8')), exports.icon, JSON.stringify(exports.logo)]
    for (const [rule, markers] of Object.entries(MALICIOUS_MARKERS)) {
      for (const marker of markers)
        expect(shipped.filter(text => text.includes(marker)), `${rule}: ${marker}`).toEqual([])
    }
    expect(exports.icon).toMatch(/<circle/)
  })

  it('is recognised by its bytes: an SVG answered as base64 is stored as .svg', async () => {
    const dir = designProject({
      provider: provider({ model: 'recraftv4_1_pro_vector' }),
      assets: { poster: { prompt: 'A poster', size: '2048x2048' } },
      imports: { poster: 'poster' },
    })
    const { exports } = await buildBoth(dir)
    // A vector model as the provider's model makes every asset SVG.
    expect(fake.apiRequests[0]!.json).toMatchObject({ model: 'recraftv4_1_pro_vector', response_format: 'b64_json' })
    expect(readLock(dir).poster.file).toMatch(/^poster\.[0-9a-f]{12}\.svg$/)
    expect(exports.poster).toMatchObject({ format: 'svg', width: 2048, height: 2048 })
  })
})

describe('SVG assets offline', () => {
  it('draws an SVG placeholder without credentials, so that ?raw and .svg imports build, and stores nothing', async () => {
    const dir = designProject({
      provider: { name: 'recraft', baseURL: 'http://127.0.0.1:9/v1' },
      assets: { icon: { prompt: 'An icon', vector: true, colors: ['#ff6b35'] }, logo: { prompt: 'A logo', vector: true } },
      imports: { icon: 'icon?raw', logo: 'logo' },
    })
    const token = process.env.RECRAFT_API_TOKEN
    delete process.env.RECRAFT_API_TOKEN
    try {
      const { exports } = await buildBoth(dir)
      expect(exports.icon).toMatch(/^<svg[^>]*viewBox="0 0 1024 1024"/)
      expect(exports.icon).toContain('#ff6b35')
      expect(exports.logo).toMatchObject({ format: 'svg', width: 1024, height: 1024 })
      expect(existsSync(join(dir, 'ai-assets'))).toBe(false)
    }
    finally {
      process.env.RECRAFT_API_TOKEN = token
    }
  })
})
