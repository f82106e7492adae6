/**
 * Every config error of the design fields, each before anything is paid:
 * one message naming the file, the asset and the field, what is wrong and
 * what is accepted, and, for a capability the provider lacks, the providers
 * that have it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AssetsConfigError } from '../../src/config/errors'
import { loadAssetsConfig } from '../../src/config/load'
import { copyFixture } from '../helpers'

async function load(config: string) {
  const root = copyFixture('empty')
  writeFileSync(join(root, 'brand.png'), await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer())
  writeFileSync(join(root, 'assets.config.mjs'), config)
  return { root, result: await loadAssetsConfig({ root }).then(config => config, (error: unknown) => error) }
}

async function loadError(config: string): Promise<string> {
  const { root, result } = await load(config)
  expect(result, 'the config should be rejected').toBeInstanceOf(AssetsConfigError)
  const error = result as AssetsConfigError
  expect(error.message).toContain(join(root, 'assets.config.mjs'))
  expect(error.stack).not.toMatch(/\n\s+at /)
  return error.message
}

const config = (provider: string, asset: string, top = '') => `export default { provider: ${provider}, ${top} assets: { hero: { prompt: 'A cabin', ${asset} } } }`

const cases: [string, string, RegExp][] = [
  ['transparent on Cloudflare', config(`'cloudflare'`, `transparent: true`), /asset "hero", field "transparent": provider "cloudflare" has no background removal \(`transparent: true`\)\. Providers that have it: "runware", "recraft"/],
  ['vectorize on Cloudflare', config(`'cloudflare'`, `vectorize: true`), /asset "hero", field "vectorize": provider "cloudflare" has no vectorizing \(`vectorize: true`\)\. Providers that have it: "runware", "recraft"/],
  ['a brand on Runware', config(`'runware'`, `brand: 'acme'`, `brands: { acme: { references: ['./brand.png'] } },`), /asset "hero", field "brand": provider "runware" has no brand styles \(`brand`\)\. Providers that have it: "recraft"/],
  ['a transparent SVG on Runware', config(`'runware'`, `vector: true, transparent: true`), /field "transparent": provider "runware" has no background removal of an SVG that keeps it SVG .*\(its background removal gives PNG, which would lose the SVG\)\. Providers that have it: "recraft"/],
  ['strength on Runware', config(`'runware'`, `image: './brand.png', strength: 0.3`), /field "strength": provider "runware" has no image-to-image with `strength`\. Providers that have it: "recraft"/],
  ['strength without an image', config(`'recraft'`, `strength: 0.3`), /field "strength": strength says how far the result may move from a reference image, and this asset has no `image`/],
  ['strength out of range', config(`'recraft'`, `image: './brand.png', strength: 1.5`), /field "strength": 1\.5 is too large.*Accepted: a number from 0/],
  ['a reference image smaller than Recraft takes', config(`'recraft'`, `image: './brand.png'`), /asset "hero", field "image": reference image \S*brand\.png is 8×8 px, outside what Recraft's image-to-image takes: resize it\. Accepted: a PNG, JPEG or WebP file of at most 10 MB \(10,485,760 bytes\) with each side from 256 to 4096 px/],
  ['jpeg on a transparent asset', config(`'recraft'`, `transparent: true, formats: ['webp', 'jpeg']`), /field "formats": "jpeg" has no alpha, and the asset is transparent.*Accepted: "avif", "webp", "png" .*or a `background`/],
  ['a jpeg fallback on a transparent asset', config(`'recraft'`, `transparent: true, fallbackFormat: 'jpeg'`), /field "fallbackFormat": "jpeg" has no alpha, and the asset is transparent/],
  ['svg on a raster asset', config(`'recraft'`, `formats: ['svg', 'png']`), /field "formats": "svg" needs an SVG original\. Accepted: "svg" with vector: true or vectorize: true/],
  ['an unknown brand', config(`'recraft'`, `brand: 'acm'`, `brands: { acme: { references: ['./brand.png'] } },`), /field "brand": no brand named "acm" \(did you mean "acme"\?\)\. Accepted: "acme"/],
  ['a brand without brands', config(`'recraft'`, `brand: 'acme'`), /field "brand": no brand named "acme"\. Accepted: no `brands` are defined/],
  ['a missing brand reference', config(`'recraft'`, `brand: 'acme'`, `brands: { acme: { references: ['./brand.png', './missing.png'] } },`), /field "brands\.acme\.references\[1\]": cannot read reference image .*missing\.png/],
  ['too many brand references', config(`'recraft'`, ``, `brands: { acme: { references: Array(11).fill('./brand.png') } },`), /field "brands\.acme\.references": .* is too large/],
  ['vectorize with vector', config(`'recraft'`, `vector: true, vectorize: true`), /field "vectorize": vectorize turns a raster original into SVG, and with vector: true the original is SVG already/],
  ['vector: false on a vector model', config(`{ name: 'recraft', model: 'recraftv4_1_vector' }`, `vector: false`), /field "vector": the provider's model "recraftv4_1_vector" makes SVG only.*Accepted: vector: true, or a raster model \("recraftv4_1", "recraftv4_1_pro", "recraftv4_1_utility", "recraftv4_1_utility_pro"\)/],
  ['a 2K size on a 1K vector model', config(`'runware'`, `vector: true, size: '2048x2048'`), /field "size": 2048x2048 is not a size recraft:v4@vector accepts/],
  ['vector on a custom provider', `export default { provider: { name: 'mine', generate: async () => ({ images: [] }) }, assets: { hero: { prompt: 'x', vector: true } } }`, /field "vector": provider "mine" has no SVG generation.*Providers that have it: "cloudflare", "runware", "recraft"/],
]

describe('config errors of the design fields', () => {
  it.each(cases)('%s', async (_name, source, expected) => {
    expect(await loadError(source)).toMatch(expected)
  })

  it('a value from defaults is reported once, at defaults', async () => {
    const message = await loadError(`export default { provider: 'cloudflare', defaults: { transparent: true }, assets: { a: { prompt: 'x' }, b: { prompt: 'y' } } }`)
    expect(message).toMatch(/defaults, field "transparent": provider "cloudflare" has no background removal/)
    expect(message.match(/has no background removal/g)).toHaveLength(1)
  })

  it('picks the vector model of each tier, and keys it', async () => {
    const { result } = await load(`export default { provider: { name: 'recraft', model: 'recraftv4_1_utility_pro' }, assets: { a: { prompt: 'x', vector: true, size: '2048x2048' }, b: { prompt: 'x', size: '2048x2048' } } }`)
    const config = result as Awaited<ReturnType<typeof loadAssetsConfig>>
    expect(config.assets.get('a')!.generation).toMatchObject({ model: 'recraftv4_1_utility_pro_vector', vector: true })
    expect(config.assets.get('b')!.generation.model).toBe('recraftv4_1_utility_pro')
    expect(config.assets.get('b')!.generation.vector).toBeUndefined()
    expect(config.assets.get('a')!.key).not.toBe(config.assets.get('b')!.key)
  })

  it('flattens a transparent asset\'s JPEG onto its declared background', async () => {
    const { result } = await load(config(`'recraft'`, `transparent: true, background: '#fafafa', formats: ['webp', 'jpeg']`))
    const hero = (result as Awaited<ReturnType<typeof loadAssetsConfig>>).assets.get('hero')!
    expect(hero.output.flatten).toEqual([250, 250, 250])
  })

  it('the placeholder provider takes every design field (it draws offline)', async () => {
    const { result } = await load(`export default { brands: { acme: { references: ['./brand.png'] } }, assets: { a: { prompt: 'x', vector: true, transparent: true, brand: 'acme', formats: ['svg', 'png'] } } }`)
    expect(result).not.toBeInstanceOf(Error)
  })
})

describe('reference images within what Recraft\'s image-to-image takes (under 10 MB, sides 256–4096 px)', () => {
  const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#1478c8' } }).png({ compressionLevel: 1 }).toBuffer()
  /** Loads `image: './ref'` with this provider, `bytes` written as the reference. */
  async function withReference(provider: string, bytes: Buffer): Promise<unknown> {
    const root = copyFixture('empty')
    writeFileSync(join(root, 'ref'), bytes)
    writeFileSync(join(root, 'assets.config.mjs'), config(provider, `image: './ref'`))
    return loadAssetsConfig({ root }).then(config => config, (error: unknown) => error)
  }
  const refusal = (result: unknown) => {
    expect(result, 'the config should be rejected').toBeInstanceOf(AssetsConfigError)
    expect((result as AssetsConfigError).issues).toHaveLength(1)
    return (result as AssetsConfigError).message
  }

  it('refuses a side over 4096 px, naming the size', async () => {
    expect(refusal(await withReference(`'recraft'`, await solid(4097, 300)))).toMatch(/asset "hero", field "image": reference image \S*ref is 4097×300 px, outside what Recraft's image-to-image takes: resize it\. Accepted: .* each side from 256 to 4096 px/)
  })

  it('refuses a file over 10 MB, whatever its size in pixels', async () => {
    // A valid 300×300 PNG followed by 11 MB that decoders ignore: only its length is over the limit.
    const padded = Buffer.concat([await solid(300, 300), Buffer.alloc(11 * 1024 * 1024)])
    expect(refusal(await withReference(`'recraft'`, padded))).toMatch(/field "image": reference image \S*ref is 11\.0 MB \(11,5\d\d,\d{3} bytes\), more than Recraft's image-to-image takes\. Accepted: a PNG, JPEG or WebP file of at most 10 MB/)
  })

  it('refuses a JPEG whose header has no size', async () => {
    // The JPEG start and an end marker: a JPEG by its first bytes, with no frame header.
    expect(refusal(await withReference(`'recraft'`, Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xD9]), Buffer.alloc(32)])))).toMatch(/field "image": reference image \S*ref has no size that can be read from its header, so it is damaged/)
  })

  it('takes the limits themselves: 256×4096 in PNG, 4096×256 in WebP, 300×256 in JPEG', async () => {
    for (const bytes of [await solid(256, 4096), await sharp(await solid(4096, 256)).webp().toBuffer(), await sharp(await solid(300, 256)).jpeg().toBuffer()]) {
      const result = await withReference(`'recraft'`, bytes)
      expect(result, String(result)).not.toBeInstanceOf(Error)
    }
  })

  it('leaves the providers that document no limits to answer for themselves', async () => {
    for (const provider of [`'runware'`, `'cloudflare'`, `{ name: 'mine', generate: async () => ({ images: [] }) }`])
      expect(await withReference(provider, await solid(8, 8))).not.toBeInstanceOf(Error)
  })
})
