/**
 * The blurred preview is reduced and blurred in JavaScript (preview-pixels.ts):
 * it has the size sharp's `fit: 'inside'` gives, looks like what sharp's own
 * resize and blur made, and keeps a transparent pixel's hidden colour out of
 * its neighbours.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { photoLike } from '../../bench/lib/photo'
import { blurPlaceholder } from '../../src/derive/blur-placeholder'
import { decodeImage, openDecoded } from '../../src/derive/decoded'
import { insideBox } from '../../src/derive/preview-pixels'

async function previewPixels(placeholder: string) {
  return sharp(Buffer.from(placeholder.split(',')[1]!, 'base64')).raw().toBuffer({ resolveWithObject: true })
}

describe('the blurred preview', () => {
  it('has the size sharp gives a resize inside 16×16', async () => {
    for (const [width, height] of [[1024, 1024], [1000, 333], [333, 1000], [1600, 900], [17, 9], [24, 16], [15, 40], [5, 3], [1023, 1]] as const) {
      const { info } = await sharp({ create: { width, height, channels: 3, background: 'red' } }).resize(16, 16, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true })
      expect(insideBox(width, height, 16), `${width}x${height}`).toEqual({ width: info.width, height: info.height })
    }
  })

  it('looks like sharp\'s resize and blur of the same pixels', async () => {
    const originals = [
      await photoLike(1, 320, 240, 'jpeg'),
      await photoLike(2, 1024, 1024, 'jpeg'),
      await photoLike(3, 300, 1000, 'png'),
      // Smaller than the preview: enlarged.
      await sharp(await photoLike(4, 50, 30, 'png')).resize(5, 3).png().toBuffer(),
    ]
    for (const [i, bytes] of originals.entries()) {
      const decoded = await decodeImage(bytes)
      const mine = await previewPixels((await blurPlaceholder(decoded)).placeholder)
      // The preview as sharp made it before: its resize (lanczos3) and blur, then the same webp.
      const before = await (await openDecoded(decoded)).resize(16, 16, { fit: 'inside' }).blur(0.6).webp({ quality: 40, alphaQuality: 40 }).toBuffer()
      const theirs = await sharp(before).raw().toBuffer({ resolveWithObject: true })
      expect(mine.info, `original ${i}`).toMatchObject({ width: theirs.info.width, height: theirs.info.height, channels: theirs.info.channels })
      let sum = 0
      for (let j = 0; j < mine.data.length; j++)
        sum += Math.abs(mine.data[j]! - theirs.data[j]!)
      // Area average against lanczos3, each through webp at quality 40: a few levels apart on average.
      expect(sum / mine.data.length, `original ${i}`).toBeLessThan(6)
    }
  })

  it('weighs colours by alpha: a transparent pixel\'s hidden colour does not bleed', async () => {
    // Fully transparent but red underneath on the left, opaque blue on the right; the edge falls inside a preview pixel.
    const pixels = Buffer.alloc(200 * 100 * 4)
    for (let i = 0; i < 200 * 100; i++)
      pixels.set(i % 200 < 95 ? [255, 0, 0, 0] : [0, 0, 255, 255], i * 4)
    const { placeholder, transparent } = await blurPlaceholder(await decodeImage(await sharp(pixels, { raw: { width: 200, height: 100, channels: 4 } }).png().toBuffer()))
    expect(transparent).toBe(true)
    const { data, info } = await previewPixels(placeholder)
    expect(info).toMatchObject({ width: 16, height: 8, channels: 4 })
    let visible = 0
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! < 64)
        continue
      visible++
      // Blue, even at the edge where the blur mixes in the transparent half.
      expect(data[i]!, `pixel ${i / 4}`).toBeLessThan(40)
      expect(data[i + 2]!, `pixel ${i / 4}`).toBeGreaterThan(200)
    }
    expect(visible).toBeGreaterThanOrEqual(8 * 8)
  })
})
