import type { OutputSpec } from '../../src/config/resolve'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { createDerivativeCache } from '../../src/derive/cache'
import { deriveImage } from '../../src/derive/index'
import { copyFixture, decode, sharpCalls } from '../helpers'

const spec = (output: Partial<OutputSpec>): OutputSpec => ({ widths: [100], formats: ['png'], sizes: '100vw', fit: 'cover', trim: false, alt: '', ...output })

/** A 400×200 image: red left half, blue right half, inside a 20 px white border. */
async function source() {
  const inner = await sharp({ create: { width: 360, height: 160, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: 180, height: 160, channels: 3, background: '#0000ff' } }, left: 180, top: 0 }])
    .png()
    .toBuffer()
  const bytes = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } })
    .composite([{ input: inner, left: 20, top: 20 }])
    .png()
    .toBuffer()
  return { bytes, sha256: sha256(bytes), width: 400, height: 200, load: async () => bytes }
}

let cacheDir = ''
function cache() {
  cacheDir = mkdtempSync(join(copyFixture('empty'), 'cache-'))
  return createDerivativeCache(cacheDir)
}

describe('derivatives', () => {
  it('makes every width × format and never upscales past the original', async () => {
    const { derivatives } = await deriveImage({ ...await source(), output: spec({ widths: [100, 300, 800, 1600], formats: ['avif', 'webp', 'png', 'jpeg'] }), cache: cache() })
    const made = await Promise.all(derivatives.map(async d => ({ ...await decode(d.data), declared: [d.width, d.height] })))
    const expected = ['heif', 'webp', 'png', 'jpeg'].flatMap(format => [100, 300, 400].map(width => ({ width, height: width / 2, format, declared: [width, width / 2] })))
    expect(made).toEqual(expected)
  })

  it('crops to an aspect with fit cover, and pads with fit contain', async () => {
    const input = await source()
    const cover = await deriveImage({ ...input, output: spec({ widths: [150, 400], aspect: 1 }), cache: cache() })
    // 1:1 from a 400×200 original: at most 200 wide, so that neither side is enlarged.
    expect(cover.derivatives.map(d => [d.width, d.height])).toEqual([[150, 150], [200, 200]])
    const contain = await deriveImage({ ...input, output: spec({ widths: [100], aspect: 1, fit: 'contain' }), cache: cache() })
    const { data, info } = await sharp(contain.derivatives[0]!.data).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, info.channels]).toEqual([100, 100, 4])
    // The top row is padding: transparent.
    expect(data[3]).toBe(0)
  })

  it('trims a uniform border before resizing', async () => {
    const { derivatives } = await deriveImage({ ...await source(), output: spec({ widths: [1000], trim: 10 }), cache: cache() })
    expect([derivatives[0]!.width, derivatives[0]!.height]).toEqual([360, 160])
    const { dominant } = await sharp(derivatives[0]!.data).stats()
    expect(dominant.g).toBeLessThan(40)
  })

  it('applies quality to lossy formats', async () => {
    const input = await source()
    const low = await deriveImage({ ...input, output: spec({ widths: [400], formats: ['jpeg'], quality: 5 }), cache: cache() })
    const high = await deriveImage({ ...input, output: spec({ widths: [400], formats: ['jpeg'], quality: 95 }), cache: cache() })
    expect(low.derivatives[0]!.data.length).toBeLessThan(high.derivatives[0]!.data.length)
  })

  it('gives a blurred preview under 1 KB and the dominant color', async () => {
    const input = await source()
    const { placeholder, color } = await deriveImage({ ...input, output: spec({}), cache: cache() })
    expect(placeholder.length).toBeLessThan(1024)
    expect(await decode(Buffer.from(placeholder.split(',')[1]!, 'base64'))).toEqual({ width: 16, height: 8, format: 'webp' })
    expect(color).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('serves cached bytes as they are, without reading the original or calling sharp', async () => {
    const input = await source()
    const shared = cache()
    const output = spec({ widths: [100, 200], formats: ['webp', 'avif'] })
    const first = await deriveImage({ ...input, output, cache: shared })
    let loads = 0
    const before = sharpCalls.count
    const second = await deriveImage({ ...input, load: async () => {
      loads++
      return input.bytes
    }, output, cache: shared })
    expect(sharpCalls.count).toBe(before)
    expect(loads).toBe(0)
    expect(second.derivatives.map(d => sha256(d.data))).toEqual(first.derivatives.map(d => sha256(d.data)))
    expect(second.placeholder).toBe(first.placeholder)
  })

  it('makes a damaged cache entry anew rather than serve it', async () => {
    const input = await source()
    const shared = cache()
    const output = spec({ widths: [100] })
    const first = await deriveImage({ ...input, output, cache: shared })
    for (const file of readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter(e => e.isFile())) {
      const path = join(file.parentPath, file.name)
      const bytes = readFileSync(path)
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xFF
      writeFileSync(path, bytes)
    }
    const before = sharpCalls.count
    const second = await deriveImage({ ...input, output, cache: shared })
    expect(sharpCalls.count).toBeGreaterThan(before)
    expect(second.derivatives.map(d => sha256(d.data))).toEqual(first.derivatives.map(d => sha256(d.data)))
  })
})

describe('the <img> fallback', () => {
  /** A 200×100 RGBA PNG, opaque or with a transparent left half. */
  async function png(transparent: boolean) {
    const pixels = Buffer.alloc(200 * 100 * 4)
    for (let i = 0; i < 200 * 100; i++)
      pixels.set([20, 120, 200, transparent && i % 200 < 100 ? 0 : 255], i * 4)
    const bytes = await sharp(pixels, { raw: { width: 200, height: 100, channels: 4 } }).png().toBuffer()
    return { sha256: sha256(bytes), width: 200, height: 100, load: async () => bytes }
  }
  const formatsOf = (derivatives: { format: string, width: number }[]) => derivatives.map(d => `${d.format} ${d.width}`)

  it('is a JPEG for an opaque image, derived at every width after the configured formats', async () => {
    const derived = await deriveImage({ ...await png(false), output: spec({ widths: [50, 200], formats: ['avif', 'webp'] }), cache: cache() })
    expect([derived.fallback, derived.transparent]).toEqual(['jpeg', false])
    expect(formatsOf(derived.derivatives)).toEqual(['avif 50', 'avif 200', 'webp 50', 'webp 200', 'jpeg 50', 'jpeg 200'])
    expect(await decode(derived.derivatives.at(-1)!.data)).toEqual({ width: 200, height: 100, format: 'jpeg' })
  })

  it('is a PNG for a transparent image, keeping its transparency', async () => {
    const derived = await deriveImage({ ...await png(true), output: spec({ widths: [80], formats: ['avif'] }), cache: cache() })
    expect([derived.fallback, derived.transparent]).toEqual(['png', true])
    const fallback = derived.derivatives.find(d => d.format === 'png')!
    const { data, info } = await sharp(fallback.data).raw().toBuffer({ resolveWithObject: true })
    expect(info.channels).toBe(4)
    expect(data[3]).toBe(0)
  })

  it('reuses a png or jpeg of formats, so that no extra files are made', async () => {
    for (const [formats, transparent, expected] of [
      [['webp', 'jpeg'], true, 'jpeg'],
      [['webp', 'png'], false, 'png'],
      [['avif', 'jpeg', 'png'], true, 'png'],
      [['avif', 'png', 'jpeg'], false, 'jpeg'],
    ] as const) {
      const derived = await deriveImage({ ...await png(transparent), output: spec({ widths: [80], formats: [...formats] }), cache: cache() })
      expect(derived.fallback, `${formats} ${transparent}`).toBe(expected)
      expect(formatsOf(derived.derivatives)).toEqual(formats.map(format => `${format} 80`))
    }
  })

  it('follows fallbackFormat when it is set', async () => {
    const derived = await deriveImage({ ...await png(false), output: spec({ widths: [80], formats: ['avif', 'webp'], fallbackFormat: 'webp' }), cache: cache() })
    expect(derived.fallback).toBe('webp')
    expect(formatsOf(derived.derivatives)).toEqual(['avif 80', 'webp 80'])
  })

  it('counts the transparent padding of fit contain as transparency', async () => {
    const derived = await deriveImage({ ...await png(false), output: spec({ widths: [80], formats: ['webp'], aspect: 1, fit: 'contain' }), cache: cache() })
    expect([derived.fallback, derived.transparent]).toEqual(['png', true])
    const cover = await deriveImage({ ...await png(false), output: spec({ widths: [80], formats: ['webp'], aspect: 1 }), cache: cache() })
    expect([cover.fallback, cover.transparent]).toEqual(['jpeg', false])
  })
})
