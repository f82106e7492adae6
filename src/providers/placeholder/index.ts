import type { RGB } from '../../common/colors'
import type { GenerateRequest, Provider } from '../types'
import { createHash } from 'node:crypto'
import { toHex } from '../../common/colors'
import { openImage } from '../../common/sharp'
import { CELL_HEIGHT, CELL_WIDTH, drawText } from './bitmap-font'

const NEUTRAL: RGB[] = [[148, 163, 184], [100, 116, 139]]
const LIGHT: RGB = [241, 245, 249]
const luminance = ([r, g, b]: RGB) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

/**
 * Longest side the placeholder draws. Its pixels are drawn in memory (3 bytes
 * each: 48 MB at 4096×4096) before sharp encodes them, so a larger size costs
 * gigabytes; 4096 is more than any model of the network providers makes
 * (Recraft V4.1 Pro: 3072), so every size they take has a placeholder.
 */
export const PLACEHOLDER_MAX_SIDE = 4096

/**
 * Offline and deterministic: diagonal stripes of the palette over its
 * background, and a label with the asset's name and size. Same request, same
 * bytes, so a newcomer gets a stable build before adding an API key.
 */
export const placeholderProvider: Provider = {
  name: 'placeholder',
  model: 'placeholder',
  async generate(request) {
    // The config loader refuses larger sizes already; this guards direct calls.
    if (request.width > PLACEHOLDER_MAX_SIDE || request.height > PLACEHOLDER_MAX_SIDE)
      throw new RangeError(`${request.width}x${request.height} is larger than the placeholder draws. Accepted: each side from 1 to ${PLACEHOLDER_MAX_SIDE}`)
    const images: Buffer[] = []
    for (let variant = 0; variant < request.variants; variant++)
      images.push(await drawPlaceholder(request, variant))
    return { images }
  },
}

export async function drawPlaceholder(request: GenerateRequest, variant = 0): Promise<Buffer> {
  const { width, height } = request
  const label = labelSvg(request, variant)
  return (await openImage(stripes(request, variant), { raw: { width, height, channels: 3 } }))
    .composite([{ input: Buffer.from(label.svg), left: label.left, top: label.top }])
    .png({ compressionLevel: 3 })
    .toBuffer()
}

/**
 * Stripes drawn straight into a pixel buffer: rasterising them as SVG costs
 * most of the 100 ms budget at 1024×1024, this costs a few.
 */
function stripes(request: GenerateRequest, variant: number): Buffer {
  const { width, height } = request
  // Palette colors blended halfway into the background, then the background itself as a gap.
  const background = request.background ?? LIGHT
  const colors = (request.colors.length > 0 ? request.colors : NEUTRAL)
    .map(color => color.map((v, i) => Math.round((v + background[i]!) / 2)) as RGB)
  const bands = [...colors, background]
  // The name picks the angle and the stripe width, so that two placeholders side by side differ.
  const seed = createHash('sha256').update(`${request.asset}#${variant}`).digest()
  const angle = ((20 + (seed[0]! % 50)) * Math.PI) / 180
  const stripe = Math.max(4, Math.round(Math.min(width, height) / (10 + (seed[1]! % 10))))
  const dx = Math.cos(angle) / stripe
  const dy = Math.sin(angle) / stripe

  const pixels = Buffer.allocUnsafe(width * height * 3)
  let offset = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const band = bands[Math.floor(x * dx + y * dy) % bands.length]!
      pixels[offset++] = band[0]
      pixels[offset++] = band[1]
      pixels[offset++] = band[2]
    }
  }
  return pixels
}

/** The label box: the asset's name, then `PLACEHOLDER WxH`, centred. */
function labelSvg(request: GenerateRequest, variant: number) {
  const { width, height, asset } = request
  const background = request.background ?? LIGHT
  const lines = [asset, `PLACEHOLDER ${width}×${height}${request.variants > 1 ? ` V${variant + 1}` : ''}`]
  const longest = Math.max(...lines.map(line => line.length))
  const scale = Math.max(1, Math.floor(Math.min((width * 0.8) / (longest * CELL_WIDTH), height / 30)))
  const lineHeight = (CELL_HEIGHT + 3) * scale
  const boxWidth = Math.min(width, (longest * CELL_WIDTH + 4) * scale)
  const boxHeight = Math.min(height, lines.length * lineHeight + 3 * scale)
  const ink = luminance(background) > 0.5 ? '#0f172a' : '#f8fafc'
  const text = lines.map((line, index) => {
    const x = Math.round((boxWidth - line.length * CELL_WIDTH * scale) / 2)
    return drawText(line, x, 2 * scale + index * lineHeight, scale, ink)
  }).join('')
  return {
    left: Math.round((width - boxWidth) / 2),
    top: Math.round((height - boxHeight) / 2),
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${boxWidth}" height="${boxHeight}">`
      + `<rect width="100%" height="100%" fill="${toHex(background)}" opacity="0.9"/>${text}</svg>`,
  }
}
