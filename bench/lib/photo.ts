/**
 * Photo-like bench images: a smooth colour field (gradients and soft blobs),
 * shapes with edges, and fine grain, all from a seed, so that the encoders do
 * the work a photograph makes them do (flat colours compress to nothing and
 * would flatter every figure). The same seed always gives the same pixels.
 */
import sharp from 'sharp'

/** mulberry32: a small seeded PRNG, enough for noise. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type PhotoFormat = 'png' | 'jpeg' | 'webp'

/** Encoded photo-like image. PNG uses a low zlib level: the fake must not starve the build it serves. */
export async function photoLike(seed: number, width: number, height: number, format: PhotoFormat): Promise<Buffer> {
  const next = random(seed * 7919 + 17)
  // Soft blobs: a coarse random grid, upscaled smoothly.
  const grid = 6
  const coarse = Buffer.alloc(grid * grid * 3)
  for (let i = 0; i < coarse.length; i++)
    coarse[i] = Math.floor(next() * 256)
  const blobs = await sharp(coarse, { raw: { width: grid, height: grid, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer()

  // A diagonal gradient between two colours, mixed with the blobs, plus grain.
  const from = [next() * 255, next() * 255, next() * 255]
  const to = [next() * 255, next() * 255, next() * 255]
  // Grain: a seeded table walked with a seeded stride, cheaper than a random number per channel.
  const grain = new Float32Array(1 << 16).map(() => (next() - 0.5) * 28)
  const stride = 1 + 2 * Math.floor(next() * 30000)
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      const t = (x + y) / (width + height)
      for (let c = 0; c < 3; c++) {
        const value = (from[c]! * (1 - t) + to[c]! * t) * 0.55 + blobs[i + c]! * 0.45 + grain[((i + c) * stride) & 0xFFFF]!
        pixels[i + c] = value < 0 ? 0 : value > 255 ? 255 : value
      }
    }
  }

  // Shapes with hard and soft edges: what makes a resize kernel and an encoder earn their keep.
  const shapes: string[] = []
  for (let i = 0; i < 24; i++) {
    const colour = `rgb(${Math.floor(next() * 256)},${Math.floor(next() * 256)},${Math.floor(next() * 256)})`
    const [x, y, r] = [next() * width, next() * height, 8 + next() * width / 6]
    shapes.push(i % 3 === 0
      ? `<line x1="${x}" y1="${y}" x2="${next() * width}" y2="${next() * height}" stroke="${colour}" stroke-width="${1 + next() * 6}" opacity="0.8"/>`
      : i % 3 === 1
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}" opacity="${0.3 + next() * 0.5}"/>`
        : `<rect x="${x}" y="${y}" width="${r}" height="${r * (0.5 + next())}" fill="${colour}" opacity="${0.4 + next() * 0.5}" transform="rotate(${next() * 90} ${x} ${y})"/>`)
  }
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`)

  const image = sharp(pixels, { raw: { width, height, channels: 3 } }).composite([{ input: svg }])
  return format === 'png'
    ? image.png({ compressionLevel: 3 }).toBuffer()
    : format === 'jpeg' ? image.jpeg({ quality: 92 }).toBuffer() : image.webp({ quality: 90 }).toBuffer()
}
