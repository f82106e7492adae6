/**
 * No fault stores a bad image: the fake serves the first half of a valid PNG,
 * JPEG, WebP or SVG (a download with a matching Content-Length, or half the
 * bytes inside the JSON), through every way a provider hands images back. Each
 * is refused with a message naming the asset and the provider, and nothing
 * reaches the store or the lockfile.
 */
import type { ImageType } from '../fakes/server'
import type { ProviderCase } from './setup'
import { describe, expect, it } from 'vitest'
import { photoLike } from '../../bench/lib/photo'
import { assertImage } from '../../src/providers/decode'
import { half, svgImage } from '../fakes/delivery'
import { CASES, FAST, generateError, paidCalls, project, readLock, storeImages, useFake } from './setup'

const FORMATS: (ImageType | 'svg')[] = ['png', 'jpeg', 'webp', 'svg']
/** Each way images come back: settings, and whether they arrive as downloads. */
const PATHS: Record<ProviderCase['name'], [label: string, settings: Record<string, unknown>, download: boolean][]> = {
  cloudflare: [['result.image URL', {}, true]],
  runware: [['imageURL', { outputType: 'URL' }, true], ['imageBase64Data', { outputType: 'base64Data' }, false], ['imageDataURI', { outputType: 'dataURI' }, false]],
  recraft: [['url', { responseFormat: 'url' }, true], ['b64_json', { responseFormat: 'b64_json' }, false]],
}

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  describe.each(PATHS[c.name])('through %s', (_, settings, download) => {
    it.each(FORMATS)('refuses half a %s', async (format) => {
      const dir = project({
        provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST, retries: 1, ...settings },
        assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } },
      })
      served.fake.imageType = format
      // A download is a GET, tried again: both attempts get half the file.
      served.fake.fail({ kind: 'truncated', on: download ? 'download' : 'api' }, download ? 2 : 1)
      const message = await generateError(dir)
      expect(message).toMatch(new RegExp(`^Provider "${c.name}" \\(\\S+\\) could not generate "hero": .*(is truncated or damaged|is not a decodable image)`))
      if (download)
        expect(message).toContain('(gave up after 2 attempts)')
      expect(message).toContain('The call may have been billed')
      expect(paidCalls(served.fake)).toHaveLength(1)
      expect(storeImages(dir)).toEqual([])
      expect(readLock(dir)).toEqual({})
    })
  })
})

describe('decoding', () => {
  it('accepts whole images of every format, refuses their first half, naming what it got', async () => {
    const { default: sharp } = await import('sharp')
    for (const format of FORMATS) {
      const whole = format === 'svg'
        ? svgImage(256, 256, { r: 10, g: 120, b: 200 })
        : await sharp({ create: { width: 256, height: 256, channels: 3, background: '#3366cc' } }).toFormat(format).toBuffer()
      await expect(assertImage(whole, `a whole ${format}`)).resolves.toBeUndefined()
      await expect(assertImage(half(whole), `half a ${format}`)).rejects.toThrow(new RegExp(`^half a ${format} (is truncated or damaged: its \\w+ header says 256x256, but the pixels do not decode|is not a decodable image) \\(`))
    }
  })

  it('refuses a PNG whose header is whole but whose pixels are cut', async () => {
    const { default: sharp } = await import('sharp')
    // Noise does not compress: the header and first rows survive the cut.
    const noise = Buffer.from(Array.from({ length: 512 * 512 * 3 }, (_, i) => (i * 2654435761) >>> 24))
    const png = await sharp(noise, { raw: { width: 512, height: 512, channels: 3 } }).png().toBuffer()
    await expect(assertImage(half(png), 'half a PNG')).rejects.toThrow(/^half a PNG is truncated or damaged: its png header says 512x512, but the pixels do not decode \(/)
  })

  it.each(['png', 'jpeg', 'webp'] as const)('refuses a %s photo missing only its last rows, and a damaged middle', async (format) => {
    const { default: sharp } = await import('sharp')
    // Without its last 100 bytes, only the bottom rows are missing: a check that samples rows would miss them.
    const photo = await photoLike(5, 512, 512, format)
    await expect(assertImage(photo, 'the photo')).resolves.toBeUndefined()
    await expect(assertImage(photo.subarray(0, photo.length - 100), 'the cut photo')).rejects.toThrow(/^the cut photo (is truncated or damaged: its \w+ header says 512x512|is not a decodable image)/)
    // Zeros in the middle of the compressed data: sharp must decode them to notice.
    const damaged = Buffer.from(photo)
    damaged.fill(0, photo.length >> 1, (photo.length >> 1) + 2000)
    const full = await sharp(damaged, { failOn: 'error' }).raw().toBuffer().then(() => 'decodes', () => 'fails')
    await expect(assertImage(damaged, 'the damaged photo').then(() => 'decodes', () => 'fails')).resolves.toBe(full)
  })
})
