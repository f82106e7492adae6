/**
 * Decoding an original once and making every output from its pixels gives
 * what sharp gives from the encoded bytes: the same dominant colour and
 * transparency as its `stats()`, and derivatives of the same size, channels
 * and (up to resampling) pixels.
 */
import type { ResizeOperation } from '../../src/derive/resize'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { photoLike } from '../../bench/lib/photo'
import { decodeImage } from '../../src/derive/decoded'
import { encode } from '../../src/derive/formats'
import { pixelStats } from '../../src/derive/pixel-stats'
import { resize } from '../../src/derive/resize'

/** Pixels with many ties between histogram bins, values on bin edges (16, 17, 64…), and optionally one transparent pixel. */
async function edgy(seed: number, channels: 3 | 4, grey = false): Promise<Buffer> {
  const [width, height] = [31 + seed, 17 + seed]
  const pixels = Buffer.alloc(width * height * 4)
  let state = seed * 7919 + 1
  for (let i = 0; i < width * height; i++) {
    state = (state * 1103515245 + 12345) & 0x7FFFFFFF
    const edge = [0, 15, 16, 17, 32, 63, 64, 65, 255][state % 9]!
    const value = state % 2 ? edge : (state >> 8) & 255
    pixels.set([value, grey ? value : edge, grey ? value : (state >> 16) & 255, seed % 2 && i === 5 ? 10 : 255], i * 4)
  }
  const image = sharp(pixels, { raw: { width, height, channels: 4 } })
  return (channels === 3 ? image.removeAlpha() : image).png().toBuffer()
}

describe('one decode per asset', () => {
  it('reads the dominant colour and transparency from the pixels exactly as sharp\'s stats() does', async () => {
    const originals = [
      ...await Promise.all([1, 2, 3].map(seed => photoLike(seed, 320, 240, 'jpeg'))),
      await photoLike(4, 200, 300, 'png'),
      ...await Promise.all([1, 2, 3, 4, 5, 6].map(seed => edgy(seed, seed % 3 ? 4 : 3))),
      await edgy(7, 3, true),
      await sharp(await edgy(8, 3, true)).toColourspace('b-w').png().toBuffer(),
    ]
    for (const [i, bytes] of originals.entries()) {
      const { dominant, isOpaque } = await sharp(bytes).stats()
      const mine = pixelStats(await decodeImage(bytes))
      expect(mine, `original ${i}`).toEqual({ dominant: [dominant.r, dominant.g, dominant.b], transparent: !isOpaque })
    }
  })

  it('makes derivatives of the same size, channels and pixels as sharp makes from the encoded bytes', async () => {
    const photo = await photoLike(9, 640, 480, 'jpeg')
    const transparent = await edgy(9, 4)
    for (const [bytes, op] of [
      [photo, { width: 200, format: 'webp', quality: 80, fit: 'cover' }],
      [photo, { width: 320, height: 320, format: 'avif', fit: 'cover' }],
      [photo, { width: 160, format: 'jpeg', quality: 90, fit: 'cover' }],
      [photo, { width: 300, height: 100, format: 'png', fit: 'contain' }],
      [transparent, { width: 20, format: 'png', fit: 'cover' }],
      [transparent, { width: 20, format: 'jpeg', fit: 'cover', flatten: '#ff0000' }],
    ] as [Buffer, ResizeOperation][]) {
      const mine = await resize(await decodeImage(bytes), op)
      const direct = await encode(sharp(bytes).resize({ width: op.width, height: op.height, fit: op.fit, background: { r: 0, g: 0, b: 0, alpha: 0 }, withoutEnlargement: true }), op.format, op.quality, op.flatten).toBuffer()
      const a = await sharp(mine.data).raw().toBuffer({ resolveWithObject: true })
      const b = await sharp(direct).raw().toBuffer({ resolveWithObject: true })
      const what = `${op.format} ${op.width}`
      expect(a.info, what).toEqual(b.info)
      expect([mine.metadata.width, mine.metadata.height], what).toEqual([b.info.width, b.info.height])
      // Mean absolute difference per channel value: resampling from the whole image rather than a
      // JPEG shrunk on load, and lossy encoding of slightly different pixels, move a level or two.
      let sum = 0
      for (let i = 0; i < a.data.length; i++)
        sum += Math.abs(a.data[i]! - b.data[i]!)
      expect(sum / a.data.length, what).toBeLessThan(3)
    }
  })
})
