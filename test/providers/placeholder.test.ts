import type { GenerateRequest } from '../../src/providers/types'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { placeholderProvider } from '../../src/providers/placeholder/index'

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    asset: 'hero',
    model: 'placeholder',
    prompt: 'A cabin',
    width: 1024,
    height: 1024,
    colors: [[255, 107, 53], [0, 43, 91]],
    background: [245, 245, 245],
    variants: 1,
    providerOptions: {},
    ...overrides,
  }
}

const context = { signal: new AbortController().signal, env: {}, warn: () => {} }
const generate = async (overrides: Partial<GenerateRequest> = {}) => (await placeholderProvider.generate(request(overrides), context)).images

async function colorsOf(image: Buffer): Promise<Set<string>> {
  const { data } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const colors = new Set<string>()
  for (let i = 0; i < data.length; i += 3)
    colors.add(`${data[i]},${data[i + 1]},${data[i + 2]}`)
  return colors
}

describe('placeholder provider', () => {
  it('draws a PNG of exactly the requested size', async () => {
    for (const [width, height] of [[1024, 1024], [1536, 768], [832, 1344], [37, 11]]) {
      const [image] = await generate({ width, height })
      expect(await sharp(image).metadata()).toMatchObject({ width, height, format: 'png' })
    }
  })

  it('is deterministic: same inputs, same bytes; another name, other bytes', async () => {
    const [a] = await generate()
    const [b] = await generate()
    const [c] = await generate({ asset: 'logo' })
    expect(sha256(a!)).toBe(sha256(b!))
    expect(sha256(c!)).not.toBe(sha256(a!))
  })

  it('draws from the palette and its background, with a dark label on a light background', async () => {
    const colors = await colorsOf((await generate())[0]!)
    expect(colors.has('245,245,245')).toBe(true)
    // Palette colors are blended halfway into the background.
    expect(colors.has('250,176,149')).toBe(true)
    expect(colors.has('123,144,168')).toBe(true)
    expect(colors.has('15,23,42')).toBe(true)
    const dark = await colorsOf((await generate({ colors: [[255, 0, 0]], background: [0, 0, 0] }))[0]!)
    expect(dark.has('0,0,0')).toBe(true)
    expect(dark.has('128,0,0')).toBe(true)
    expect(dark.has('248,250,252')).toBe(true)
  })

  it('returns one distinct image per variant', async () => {
    const images = await generate({ variants: 3, width: 256, height: 256 })
    expect(images).toHaveLength(3)
    expect(new Set(images.map(image => sha256(image))).size).toBe(3)
  })
})
