/**
 * What the fakes answer for SVG generation and the image tools, as the
 * providers document them: SVG documents for vector models and vectorize,
 * PNGs with real alpha for background removal (an SVG in stays SVG at Recraft).
 */
import type { FakeServer } from './server'
import sharp from 'sharp'
import { isSvg } from '../../src/providers/svg-bytes'
import { logoSvg, maliciousSvg } from './svgs'

const COLORS = ['#ff6b35', '#0ea5e9', '#22c55e', '#a855f7', '#ef4444', '#eab308']
let made = 0

/** The SVG a vector model makes (the fake's `svgKind`); consecutive ones differ, as variants do. */
export function vectorImage(fake: FakeServer, width: number, height: number): Buffer {
  return fake.svgKind === 'malicious' ? maliciousSvg(width, height) : logoSvg(width, height, COLORS[made++ % COLORS.length]!)
}

/**
 * Background removal: a raster becomes a PNG whose corners are fully
 * transparent (everything outside a centred ellipse); an SVG loses its
 * full-size background `<rect>`, and stays SVG.
 */
export async function removeBackground(image: Buffer): Promise<{ bytes: Buffer, type: 'png' | 'svg' }> {
  if (isSvg(image))
    return { bytes: Buffer.from(image.toString('utf8').replace(/<rect width="\d+" height="\d+" fill="[^"]*"\/>/, '')), type: 'svg' }
  const { width, height } = await sharp(image).metadata()
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><ellipse cx="${width! / 2}" cy="${height! / 2}" rx="${width! / 3}" ry="${height! / 3}" fill="#fff"/></svg>`)
  const bytes = await sharp(image).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer()
  return { bytes, type: 'png' }
}

/** Vectorize: a raster in, an SVG of its size out. */
export async function vectorize(fake: FakeServer, image: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(image).metadata()
  return vectorImage(fake, width!, height!)
}

/** The multipart form of a request, or undefined when it is not one. */
export async function formOf(body: Buffer, contentType: string | undefined): Promise<FormData | undefined> {
  if (!contentType?.startsWith('multipart/form-data'))
    return undefined
  return new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData()
}

/** A file part's bytes. */
export async function bytesOf(part: unknown): Promise<Buffer | undefined> {
  return part instanceof Blob && part.size > 0 ? Buffer.from(await part.arrayBuffer()) : undefined
}
