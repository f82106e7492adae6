/**
 * The pixels of the blurred preview, made in JavaScript from the decoded
 * original: an area average down to at most 16×16, then a small Gaussian
 * blur. Through sharp, the resize and the blur cost about 2 ms of CPU an
 * image whatever its size, as libvips sets up a resize kernel and a
 * convolution for each pipeline; these loops take about 0.4 ms for a 320²
 * original. Only the tiny result goes through sharp, to be encoded: the
 * preview went from about 4.5 to 2.5 ms of CPU an asset.
 */
import type { DecodedImage } from './decoded'

export interface PreviewPixels {
  pixels: Buffer
  width: number
  height: number
  channels: DecodedImage['channels']
}

/**
 * Fits `width`×`height` inside `box`×`box`, as sharp's `fit: 'inside'` does:
 * the longer side becomes `box`, the other is rounded, and never below 1.
 */
export function insideBox(width: number, height: number, box: number): { width: number, height: number } {
  const factor = Math.max(width / box, height / box)
  return { width: Math.max(1, Math.round(width / factor)), height: Math.max(1, Math.round(height / factor)) }
}

/**
 * Each output pixel is the mean of the source pixels under it (at least
 * one, so that an image smaller than the box is enlarged by repetition).
 * With alpha, colours are weighted by it, as sharp premultiplies before
 * resizing: a transparent pixel's hidden colour does not bleed into its
 * neighbours.
 */
export function shrinkByArea(image: DecodedImage, width: number, height: number): PreviewPixels {
  const { pixels, channels } = image
  const hasAlpha = channels === 2 || channels === 4
  // 1 (grey) or 3 (sRGB) colour channels, summed in locals: this loop reads every pixel of the original.
  const colours = hasAlpha ? channels - 1 : channels
  const out = Buffer.alloc(width * height * channels)
  for (let oy = 0; oy < height; oy++) {
    const [y0, y1] = span(oy, height, image.height)
    for (let ox = 0; ox < width; ox++) {
      const [x0, x1] = span(ox, width, image.width)
      let first = 0
      let second = 0
      let third = 0
      let weights = 0
      for (let y = y0; y < y1; y++) {
        const end = (y * image.width + x1) * channels
        for (let i = (y * image.width + x0) * channels; i < end; i += channels) {
          const weight = hasAlpha ? pixels[i + colours]! : 1
          first += pixels[i]! * weight
          if (colours === 3) {
            second += pixels[i + 1]! * weight
            third += pixels[i + 2]! * weight
          }
          weights += weight
        }
      }
      const o = (oy * width + ox) * channels
      const sums = [first, second, third]
      for (let c = 0; c < colours; c++)
        out[o + c] = weights ? Math.round(sums[c]! / weights) : 0
      if (hasAlpha)
        out[o + colours] = Math.round(weights / ((y1 - y0) * (x1 - x0)))
    }
  }
  return { pixels: out, width, height, channels }
}

/** The source rows (or columns) under output row `index` of `size`, from a source of `source`. */
function span(index: number, size: number, source: number): [number, number] {
  const start = Math.min(source - 1, Math.floor(index * source / size))
  return [start, Math.max(start + 1, Math.floor((index + 1) * source / size))]
}

/**
 * libvips' Gaussian mask for σ 0.6 at sharp's minimum amplitude (0.2): the
 * centre and its two neighbours, e^(-1/(2σ²)) ≈ 0.249 each, normalised.
 */
const SIDE = Math.exp(-1 / (2 * 0.6 * 0.6))
const MASK = [SIDE, 1, SIDE].map(weight => weight / (1 + 2 * SIDE))

/**
 * A separable blur with that mask, edges repeated. With alpha, colours are
 * weighted by it (premultiplied, as sharp blurs), and alpha is blurred too.
 */
export function blur(image: PreviewPixels): PreviewPixels {
  return pass(pass(image, 1, 0), 0, 1)
}

function pass(image: PreviewPixels, dx: number, dy: number): PreviewPixels {
  const { pixels, width, height, channels } = image
  const hasAlpha = channels === 2 || channels === 4
  const colours = hasAlpha ? channels - 1 : channels
  const out = Buffer.alloc(pixels.length)
  const index = (x: number, y: number) => (Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * channels
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const taps = [index(x - dx, y - dy), index(x, y), index(x + dx, y + dy)]
      const weights = taps.map((tap, k) => MASK[k]! * (hasAlpha ? pixels[tap + colours]! : 1))
      const total = weights[0]! + weights[1]! + weights[2]!
      const o = (y * width + x) * channels
      for (let c = 0; c < colours; c++)
        out[o + c] = total ? Math.round((weights[0]! * pixels[taps[0]! + c]! + weights[1]! * pixels[taps[1]! + c]! + weights[2]! * pixels[taps[2]! + c]!) / total) : 0
      if (hasAlpha)
        out[o + colours] = Math.round(total)
    }
  }
  return { ...image, pixels: out }
}
