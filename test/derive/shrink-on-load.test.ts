import type { PhotoFormat } from '../../bench/lib/photo'
/**
 * A JPEG or opaque WebP original whose outputs are all much smaller is
 * decoded once, smaller (libjpeg's DCT scaling, libwebp's scaled decode),
 * and every output is made from those pixels: each width comes out exactly
 * as from the original (the same width and height), with the pixels of
 * sharp's own resize of the encoded bytes; alpha, small and portrait
 * originals and boxes (`aspect`) keep what they had. Real sharp throughout.
 */
import type { OutputSpec } from '../../src/config/resolve'
import type { DeriveInput } from '../../src/derive/index'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { photoLike } from '../../bench/lib/photo'
import { sha256 } from '../../src/common/hash'
import { SHARP_CHANNEL } from '../../src/common/sharp'
import { createDerivativeCache } from '../../src/derive/cache'
import { decodeCovering, decodeImage } from '../../src/derive/decoded'
import { DERIVE_CHANNEL, deriveImage } from '../../src/derive/index'
import { resize } from '../../src/derive/resize'
import { coveringSize, scaledHeight, shrinkableSize } from '../../src/derive/shrink-on-load'
import { copyFixture, listFiles, viteBuild } from '../helpers'

const spec = (output: Partial<OutputSpec>): OutputSpec => ({ widths: [160, 320], formats: ['webp', 'png'], sizes: '100vw', fit: 'cover', trim: false, alt: '', ...output })
const EXTENSIONS: Record<PhotoFormat, string> = { jpeg: 'jpg', webp: 'webp', png: 'png' }

async function original(seed: number, width: number, height: number, format: PhotoFormat): Promise<Omit<DeriveInput, 'output' | 'cache'> & { bytes: Buffer }> {
  const bytes = await photoLike(seed, width, height, format)
  return { bytes, sha256: sha256(bytes), width, height, format: EXTENSIONS[format], load: async () => bytes }
}

const cache = () => createDerivativeCache(mkdtempSync(join(copyFixture('empty'), 'cache-')))

/** Derives, and says what was decoded: the derivation's id and how many encoded bytes were opened. */
async function derive(input: Omit<DeriveInput, 'cache'>) {
  const ids: string[] = []
  let decodes = 0
  const onDerive = (message: unknown) => ids.push((message as { id: string }).id)
  const onSharp = (message: unknown) => { decodes += (message as { input: string }).input === 'buffer' ? 1 : 0 }
  subscribe(DERIVE_CHANNEL, onDerive)
  subscribe(SHARP_CHANNEL, onSharp)
  try {
    const derived = await deriveImage({ ...input, cache: cache() })
    return { derived, id: ids[0], decodes }
  }
  finally {
    unsubscribe(DERIVE_CHANNEL, onDerive)
    unsubscribe(SHARP_CHANNEL, onSharp)
  }
}

/** Mean absolute difference per channel value between two encoded images of the same size. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map(bytes => sharp(bytes).raw().toBuffer({ resolveWithObject: true })))
  expect(x!.info).toEqual(y!.info)
  let sum = 0
  for (let i = 0; i < x!.data.length; i++)
    sum += Math.abs(x!.data[i]! - y!.data[i]!)
  return sum / x!.data.length
}

describe('decoding smaller than the original', () => {
  it('gives each width of a JPEG and a WebP exactly, with the pixels of sharp\'s own resize of the original', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      // 1000×667, a JPEG decoded at 1/2 then resized to 320×213: 310 px is 206.77 px tall in the original, 206.34 in those pixels.
      const input = await original(3, 1000, 667, format)
      const { derived, id, decodes } = await derive({ ...input, output: spec({ widths: [160, 310, 320] }) })
      expect(id, format).toBe(`${input.sha256}@320x213`)
      expect(decodes, format).toBe(1)
      const full = await decodeImage(input.bytes)
      for (const made of derived.derivatives) {
        const what = `${format} → ${made.format} ${made.width}`
        const { info } = await sharp(made.data).raw().toBuffer({ resolveWithObject: true })
        expect([info.width, info.height, info.channels], what).toEqual([made.width, made.height, 3])
        // The size a resize of the whole decoded original gives (what every earlier version made).
        const before = await resize(full, { width: made.width, format: made.format as 'png', fit: 'cover' })
        expect([made.width, made.height], what).toEqual([before.metadata.width, before.metadata.height])
        // Against sharp's own resize of the encoded bytes (shrink-on-load and lanczos3), lossless PNG to see the pixels.
        if (made.format === 'png') {
          const own = await sharp(input.bytes).resize({ width: made.width, height: made.height, fit: 'fill' }).png().toBuffer()
          expect(await difference(made.data, own), what).toBeLessThan(1.5)
        }
      }
      expect(derived.derivatives.map(d => `${d.format} ${d.width}×${d.height}`)).toEqual(['webp 160×107', 'webp 310×207', 'webp 320×213', 'png 160×107', 'png 310×207', 'png 320×213'])
      expect(derived.transparent).toBe(false)
    }
  })

  it('crops a JPEG to an aspect from the smaller pixels, at exactly the box', async () => {
    const input = await original(4, 1200, 800, 'jpeg')
    const { derived, id } = await derive({ ...input, output: spec({ widths: [100, 200], aspect: 1 }) })
    // 200 px tall needs the original at 300 px wide.
    expect(id).toBe(`${input.sha256}@300x200`)
    for (const made of derived.derivatives) {
      const { width, height } = await sharp(made.data).metadata()
      expect([width, height, made.height]).toEqual([made.width, made.width, made.width])
    }
    const own = await sharp(input.bytes).resize({ width: 200, height: 200, fit: 'cover' }).png().toBuffer()
    expect(await difference(derived.derivatives.at(-1)!.data, own)).toBeLessThan(1.5)
  })

  it('decodes a portrait JPEG smaller too, and in full an original smaller than twice the widest output', async () => {
    const portrait = await original(5, 667, 1000, 'jpeg')
    const tall = await derive({ ...portrait, output: spec({ widths: [100, 200] }) })
    expect(tall.id).toBe(`${portrait.sha256}@200x300`)
    expect(tall.derived.derivatives.map(d => [d.width, d.height])).toEqual([[100, 150], [200, 300], [100, 150], [200, 300]])

    const small = await original(6, 200, 150, 'jpeg')
    const { derived, id } = await derive({ ...small, output: spec({ widths: [160, 320] }) })
    expect(id).toBe(small.sha256)
    expect(derived.derivatives.map(d => [d.width, d.height])).toEqual([[160, 120], [200, 150], [160, 120], [200, 150]])
    for (const made of derived.derivatives)
      expect(await sharp(made.data).metadata()).toMatchObject({ width: made.width, height: made.height })
  })

  it('decodes in full what has alpha or no decoder that shrinks: a PNG, a WebP with alpha', async () => {
    const band = Buffer.alloc(1000 * 600 * 4, 200).map((value, i) => i % 4 === 3 && i < 1000 * 40 * 4 ? 0 : value)
    const png = await sharp(band, { raw: { width: 1000, height: 600, channels: 4 } }).png().toBuffer()
    const webp = await sharp(band, { raw: { width: 1000, height: 600, channels: 4 } }).webp().toBuffer()
    for (const [bytes, format] of [[png, 'png'], [webp, 'webp']] as const) {
      expect(shrinkableSize(bytes), format).toBeUndefined()
      const { derived, id } = await derive({ sha256: sha256(bytes), width: 1000, height: 600, format, load: async () => bytes, output: spec({ widths: [100, 200] }) })
      // The store file's extension names the cache entries (a WebP might shrink); its header decides the decode.
      expect(id, format).toBe(format === 'webp' ? `${sha256(bytes)}@200x120` : sha256(bytes))
      expect(derived.transparent, format).toBe(true)
      const full = await decodeImage(bytes)
      for (const made of derived.derivatives)
        expect(made.data.equals((await resize(full, { width: made.width, format: made.format as 'png', fit: 'cover' })).data), `${format} → ${made.format} ${made.width}`).toBe(true)
      for (const made of derived.derivatives) {
        const { width, height, hasAlpha } = await sharp(made.data).metadata()
        expect([width, height, hasAlpha], `${format} → ${made.format} ${made.width}`).toEqual([made.width, made.height, true])
      }
    }
  })

  it('reads the size from the headers that shrink on load, and trusts no other size', async () => {
    const photo = await photoLike(7, 333, 222, 'jpeg')
    expect(shrinkableSize(photo)).toEqual({ width: 333, height: 222 })
    expect(shrinkableSize(await sharp(photo).jpeg({ progressive: true }).toBuffer())).toEqual({ width: 333, height: 222 })
    expect(shrinkableSize(await sharp(photo).webp().toBuffer())).toEqual({ width: 333, height: 222 })
    expect(shrinkableSize(await sharp(photo).webp({ lossless: true }).toBuffer())).toEqual({ width: 333, height: 222 })
    expect(shrinkableSize(await sharp(photo).webp().withMetadata({ exif: { IFD0: { Copyright: 'x' } } }).toBuffer())).toEqual({ width: 333, height: 222 })
    expect(shrinkableSize(await sharp(photo).png().toBuffer())).toBeUndefined()
    expect(shrinkableSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined()
    // A size the header does not have (a hand-edited lockfile): decoded in full, never stretched.
    const decoded = await decodeCovering(photo, { width: 333, height: 333 }, { width: 100, height: 100 })
    expect([decoded.width, decoded.height, decoded.scaledFrom]).toEqual([333, 222, undefined])
    const scaled = await decodeCovering(photo, { width: 333, height: 222 }, { width: 100, height: 67 })
    expect([scaled.width, scaled.height, scaled.scaledFrom]).toEqual([100, 67, { width: 333, height: 222 }])
  })

  it('sizes a width as sharp sizes a resize of the whole original, and covers every box', async () => {
    for (const [width, height] of [[1000, 667], [667, 1000], [1024, 1024], [1023, 511], [4000, 2251], [99, 1001]] as const) {
      const pixels = await sharp({ create: { width, height, channels: 3, background: '#808080' } }).raw().toBuffer()
      for (const w of [1, 7, 16, 33, 100, 160, 213, 320, 333, 640, 999].filter(w => w <= width)) {
        const { info } = await sharp(pixels, { raw: { width, height, channels: 3 } }).resize({ width: w }).raw().toBuffer({ resolveWithObject: true })
        expect(scaledHeight({ width, height }, w), `${width}×${height} → ${w}`).toBe(info.height)
      }
    }
    const source = { width: 1200, height: 800 }
    expect(coveringSize([{ width: 160, fit: 'cover' }, { width: 320, fit: 'cover' }], source)).toEqual({ width: 320, height: 213 })
    expect(coveringSize([{ width: 200, height: 200, fit: 'cover' }], source)).toEqual({ width: 300, height: 200 })
    expect(coveringSize([{ width: 601, fit: 'cover' }], source)).toBeUndefined()
    expect(coveringSize([{ width: 200, height: 100, fit: 'inside' }], source)).toBeUndefined()
  })

  it('is what a build does with a JPEG from the store: the store file\'s extension reaches the derivation', async () => {
    const root = copyFixture('empty')
    writeFileSync(join(root, 'assets.config.ts'), `import sharp from 'sharp'
import { defineAssets } from 'unplugin-ai-assets'
export default defineAssets({
  provider: {
    name: 'gradient',
    model: 'gradient-1',
    async generate(request) {
      const image = sharp({ create: { width: request.width, height: request.height, channels: 3, background: '#336699' } })
      return { images: [await image.composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="667"><circle cx="500" cy="333" r="300" fill="#ffcc00"/></svg>') }]).jpeg().toBuffer()] }
    },
  },
  defaults: { widths: [160, 310, 320], formats: ['webp'], size: '1000x667' },
  assets: { hero: { prompt: 'A sun', alt: 'A sun' } },
})
`)
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'index.html'), `<!doctype html><script type="module" src="/src/main.js"></script>\n`)
    writeFileSync(join(root, 'src/main.js'), `import hero from '~ai-assets/hero'\nconsole.log(hero)\n`)
    const ids: string[] = []
    const onDerive = (message: unknown) => ids.push((message as { id: string, phase: string }).id)
    subscribe(DERIVE_CHANNEL, onDerive)
    try {
      await viteBuild(root)
    }
    finally {
      unsubscribe(DERIVE_CHANNEL, onDerive)
    }
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.every(id => id.endsWith('@320x213')), ids.join(', ')).toBe(true)
    const made = await Promise.all(listFiles(join(root, 'dist')).filter(file => /\.(?:webp|jpg)$/.test(file)).map(async (file) => {
      const { width, height, format } = await sharp(join(root, 'dist', file)).metadata()
      return `${format} ${width}×${height}`
    }))
    // webp at each width, and the opaque image's jpeg fallback at the same widths, every height as from the original.
    expect(made.sort()).toEqual(['jpeg 160×107', 'jpeg 310×207', 'jpeg 320×213', 'webp 160×107', 'webp 310×207', 'webp 320×213'])
  })
})
