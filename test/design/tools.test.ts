/**
 * Transparency, vectorize, brand styles and image-to-image through real Vite
 * builds against the Recraft fake: each call made once and in order, what
 * gets stored, the alpha kept in every derivative, the lockfile's costs, and
 * a dry run that counts every call.
 */
import type { RecraftFake } from '../fakes/recraft'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { isSvg } from '../../src/providers/svg-bytes'
import { RECRAFT_CREDITS, startRecraftFake } from '../fakes/recraft'
import { formOf } from '../fakes/tools'
import { listFiles, viteBuild } from '../helpers'
import { useEnv } from '../providers/setup'
import { buildBoth, designProject, readLock, writeReference } from './project'

const TOKEN = 'rc-token-SECRET-tools-0c7e'
let fake: RecraftFake
const provider = (settings: Record<string, unknown> = {}) => ({ name: 'recraft', baseURL: `${fake.url}/v1`, retryDelay: 1, ...settings })
const usd = (credits: number) => credits / 1000

beforeAll(async () => {
  useEnv({ RECRAFT_API_TOKEN: TOKEN })
  fake = await startRecraftFake(TOKEN)
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

/** Alpha of the top-left pixel, and whether the image has an alpha channel. */
async function corner(file: string | Buffer) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { alpha: data[3], channels: (await sharp(file).metadata()).channels, width: info.width }
}

describe('transparent: true', () => {
  it('removes the background after generation, stores the cut-out and keeps its alpha in webp, avif and png', async () => {
    const dir = designProject({
      provider: provider(),
      assets: { product: { prompt: 'A sneaker, studio shot', transparent: true, formats: ['webp', 'avif', 'png'], alt: 'Sneaker' } },
      imports: { product: 'product' },
    })
    const { dist, exports } = await buildBoth(dir)
    expect(fake.apiRequests.map(r => r.path)).toEqual(['/v1/images/generations', '/v1/images/removeBackground'])
    // The generated image itself went to removeBackground, as a file, asking for PNG.
    const form = (await formOf(fake.apiRequests[1]!.body, fake.apiRequests[1]!.headers['content-type']))!
    expect((form.get('image') as File).type).toBe('image/webp')
    expect(form.get('image_format')).toBe('png')

    const entry = readLock(dir).product
    expect(entry.file).toMatch(/\.png$/)
    expect(entry.cost).toBeCloseTo(usd(RECRAFT_CREDITS.recraftv4_1! + RECRAFT_CREDITS.removeBackground!), 6)
    expect(entry.costs).toEqual({ generate: usd(RECRAFT_CREDITS.recraftv4_1!), removeBackground: usd(RECRAFT_CREDITS.removeBackground!) })
    expect(entry.inputs.transparent).toBe(true)
    expect(await corner(join(dir, 'ai-assets', entry.file))).toMatchObject({ alpha: 0, channels: 4 })

    const files = listFiles(dist).filter(f => f.startsWith('assets/product-'))
    expect(files.map(f => f.split('.').at(-1)).sort()).toEqual(['avif', 'avif', 'png', 'png', 'webp', 'webp'])
    for (const file of files)
      expect(await corner(join(dist, file)), file).toMatchObject({ alpha: 0, channels: 4 })
    // The fallback of a transparent image is the PNG, and the components draw no placeholder behind it.
    expect(exports.product).toMatchObject({ format: 'png', transparent: true })
  })

  it('keeps an SVG an SVG: Recraft removes the background of the vector original', async () => {
    const dir = designProject({
      provider: provider(),
      assets: { mascot: { prompt: 'A fox mascot', vector: true, transparent: true } },
      imports: { mascot: 'mascot?raw' },
    })
    const { exports } = await buildBoth(dir)
    expect(fake.apiRequests.map(r => r.path)).toEqual(['/v1/images/generations', '/v1/images/removeBackground'])
    const form = (await formOf(fake.apiRequests[1]!.body, fake.apiRequests[1]!.headers['content-type']))!
    expect((form.get('image') as File).type).toBe('image/svg+xml')
    const stored = readFileSync(join(dir, 'ai-assets', readLock(dir).mascot.file))
    expect(isSvg(stored)).toBe(true)
    expect(stored.toString()).not.toMatch(/<rect width="1024" height="1024"/)
    expect(exports.mascot).toMatch(/^<svg/)
  })

  it('a second build pays for nothing', async () => {
    const dir = designProject({ provider: provider(), assets: { product: { prompt: 'A lamp', transparent: true } }, imports: { product: 'product' } })
    await buildBoth(dir)
    const first = fake.apiRequests.length
    await buildBoth(dir)
    expect(fake.apiRequests).toHaveLength(first)
  })
})

describe('vectorize: true', () => {
  it('turns the raster original into SVG and ships it as one', async () => {
    const dir = designProject({
      provider: provider(),
      assets: { 'icons/cup': { prompt: 'A coffee cup icon', vectorize: true } },
      imports: { cup: 'icons/cup' },
    })
    const { exports } = await buildBoth(dir)
    expect(fake.apiRequests.map(r => r.path)).toEqual(['/v1/images/generations', '/v1/images/vectorize'])
    // The raster model generated; vectorize got its bytes.
    expect(fake.apiRequests[0]!.json.model).toBe('recraftv4_1')
    const entry = readLock(dir)['icons/cup']
    expect(entry.file).toMatch(/\.svg$/)
    expect(entry.costs).toEqual({ generate: usd(RECRAFT_CREDITS.recraftv4_1!), vectorize: usd(RECRAFT_CREDITS.vectorize!) })
    expect(exports.cup).toMatchObject({ format: 'svg', width: 1024, height: 1024 })
  })
})

describe('brands', () => {
  it('makes one style from the references, reuses it for every asset, and makes it again only when a reference changes', async () => {
    const gallery = {
      provider: provider(),
      brands: { acme: { references: ['./brand/a.png', './brand/b.png'] } },
      defaults: { brand: 'acme' },
      assets: { one: { prompt: 'A hilltop at dawn' }, two: { prompt: 'A harbour at dusk' }, three: { prompt: 'A market street' } },
      imports: { one: 'one', two: 'two', three: 'three' },
    }
    const dir = designProject(gallery)
    await writeReference(dir, 'brand/a.png', '#ff6b35')
    await writeReference(dir, 'brand/b.png', '#002b5b')
    await buildBoth(dir)

    const styleCalls = fake.apiRequests.filter(r => r.path === '/v1/styles')
    expect(styleCalls).toHaveLength(1)
    const form = (await formOf(styleCalls[0]!.body, styleCalls[0]!.headers['content-type']))!
    expect(form.get('model')).toBe('recraftv4_styles')
    const images = form.getAll('images') as File[]
    expect(await Promise.all(images.map(async f => Buffer.from(await f.arrayBuffer())))).toEqual([readFileSync(join(dir, 'brand/a.png')), readFileSync(join(dir, 'brand/b.png'))])

    const [styleId] = [...fake.styles.keys()]
    const generations = fake.apiRequests.filter(r => r.path === '/v1/images/generations')
    expect(generations.map(r => r.json.style_id)).toEqual([styleId, styleId, styleId])

    const lock = readLock(dir)
    const styles = Object.values(lock.$styles) as any[]
    expect(styles).toHaveLength(1)
    expect(styles[0]).toMatchObject({ brand: 'acme', pool: 'raster', provider: 'recraft', styleId, cost: usd(RECRAFT_CREDITS.styles!) })
    expect(styles[0].references.map((r: { file: string }) => r.file)).toEqual(['brand/a.png', 'brand/b.png'])
    // The style's cost lands on the one asset whose generation made it.
    const costs = ['one', 'two', 'three'].map(name => lock[name].cost)
    expect(costs.filter(c => Math.abs(c - usd(RECRAFT_CREDITS.recraftv4_1! + RECRAFT_CREDITS.styles!)) < 1e-9)).toHaveLength(1)
    expect(costs.filter(c => Math.abs(c - usd(RECRAFT_CREDITS.recraftv4_1!)) < 1e-9)).toHaveLength(2)
    expect(['one', 'two', 'three'].every(name => lock[name].styleId === styleId)).toBe(true)

    // Unchanged: nothing is paid again.
    fake.reset()
    await buildBoth(dir)
    expect(fake.apiRequests).toEqual([])

    // A changed reference: a new style, and every asset of the brand is stale.
    await writeReference(dir, 'brand/b.png', '#10b981')
    const plan = await generateAssets({ root: dir, dryRun: true, env: { RECRAFT_API_TOKEN: TOKEN } })
    expect(plan.plan.map(p => [p.name, p.action, p.reason])).toEqual([
      ['one', 'generate', 'brand references changed'],
      ['two', 'generate', 'brand references changed'],
      ['three', 'generate', 'brand references changed'],
    ])
    await buildBoth(dir)
    expect(fake.apiRequests.filter(r => r.path === '/v1/styles')).toHaveLength(1)
    expect(fake.styles.size).toBe(2)
    expect(Object.keys(readLock(dir).$styles)).toHaveLength(2)
  })
})

describe('image-to-image with strength', () => {
  it('sends the reference and the asset\'s strength to imageToImage', async () => {
    const dir = designProject({
      provider: provider(),
      assets: { winter: { prompt: 'The same logo, winter palette', image: 'reference.png', strength: 0.2 } },
      imports: { winter: 'winter' },
    })
    await buildBoth(dir)
    const call = fake.apiRequests[0]!
    expect(call.path).toBe('/v1/images/imageToImage')
    const form = (await formOf(call.body, call.headers['content-type']))!
    expect(form.get('strength')).toBe('0.2')
    expect(form.get('size')).toBeNull()
    expect(readLock(dir).winter.inputs.strength).toBe(0.2)
  })

  it('refuses a reference smaller than imageToImage takes when the config loads, before any request', async () => {
    const dir = designProject({
      provider: provider(),
      assets: { winter: { prompt: 'The same logo, winter palette', image: 'small.png', strength: 0.2 } },
      imports: { winter: 'winter' },
    })
    await writeReference(dir, 'small.png', '#1478c8', 200)
    const error = await viteBuild(dir, { dts: false }).then(() => undefined, (e: Error) => e)
    expect(error?.message).toContain(join(dir, 'assets.config.ts'))
    expect(error?.message).toMatch(/asset "winter", field "image": reference image \S*small\.png is 200×200 px, outside what Recraft's image-to-image takes: resize it/)
    expect(fake.requests).toEqual([])
  })
})

describe('dry run', () => {
  it('estimates every call: generation, background removal, vectorize and style creation (once per brand)', async () => {
    const dir = designProject({
      provider: provider(),
      brands: { acme: { references: ['./brand/a.png'] } },
      assets: {
        logo: { prompt: 'A logo', vector: true },
        product: { prompt: 'A sneaker', transparent: true, variants: 2 },
        cup: { prompt: 'A cup icon', vectorize: true },
        one: { prompt: 'A hill', brand: 'acme' },
        two: { prompt: 'A harbour', brand: 'acme' },
        cheap: { prompt: 'A draft', providerOptions: {} },
      },
      imports: { logo: 'logo' },
    })
    await writeReference(dir, 'brand/a.png', '#ff6b35')
    const result = await generateAssets({ root: dir, dryRun: true, env: { RECRAFT_API_TOKEN: TOKEN } })
    expect(fake.requests).toEqual([])
    const byName = Object.fromEntries(result.plan.map(p => [p.name, p]))
    expect(byName.logo).toMatchObject({ model: 'recraftv4_1_vector', estimate: { usd: 0.08 } })
    expect(byName.product!.estimate).toMatchObject({ images: 2, usd: 0.1, extras: [{ call: 'removeBackground', count: 2, usd: 0.02 }] })
    expect(byName.cup!.estimate).toMatchObject({ usd: 0.05, extras: [{ call: 'vectorize', count: 1, usd: 0.01 }] })
    expect(byName.one!.estimate).toMatchObject({ usd: 0.08, extras: [{ call: 'createStyle', count: 1, usd: 0.04 }] })
    expect(byName.two!.estimate.extras).toBeUndefined()
    expect(result.estimate.usd).toBeCloseTo(0.08 + 0.1 + 0.05 + 0.08 + 0.04 + 0.04, 6)
  })
})
