import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { safeSvg } from '../../src/derive/svg'
import { isSvg } from '../../src/providers/svg-bytes'
import { logoSvg, MALICIOUS_MARKERS, maliciousSvg } from '../fakes/svgs'

describe('SVG sanitising and optimising', () => {
  it.each(Object.entries(MALICIOUS_MARKERS))('removes %s', async (_rule, markers) => {
    const { markup } = await safeSvg(maliciousSvg(400, 300))
    for (const marker of markers)
      expect(markup).not.toContain(marker)
  })

  it('keeps the drawing, the viewBox and local references, and still decodes', async () => {
    const { markup } = await safeSvg(maliciousSvg(400, 300))
    expect(markup).toContain('viewBox="0 0 400 300"')
    expect(markup).toMatch(/fill="url\(#\w+\)"/)
    expect(markup).toMatch(/<circle/)
    const { width, height, format } = await sharp(Buffer.from(markup)).metadata()
    expect({ width, height, format }).toEqual({ width: 400, height: 300, format: 'svg' })
  })

  it('optimises a clean logo, keeping viewBox, gradient and local <use>', async () => {
    const original = logoSvg(512, 512, '#ff6b35')
    const { markup } = await safeSvg(original)
    expect(markup.length).toBeLessThan(original.length)
    expect(markup).toContain('viewBox="0 0 512 512"')
    expect(markup).toMatch(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(markup).toMatch(/href="#/)
    expect(markup).not.toContain('xlink:')
    const stats = await sharp(Buffer.from(markup)).stats()
    const reference = await sharp(original).stats()
    // The same picture: per-channel means within 2 levels.
    stats.channels.slice(0, 3).forEach((channel, i) => expect(Math.abs(channel.mean - reference.channels[i]!.mean)).toBeLessThan(2))
  })

  it('refuses markup with no <svg> root', async () => {
    await expect(safeSvg(Buffer.from('<html><body><script>alert(1)</script></body></html>'))).rejects.toThrow(/no <svg> root/)
  })

  it('recognises SVG by its bytes, not its name', async () => {
    expect(isSvg(logoSvg(10, 10, '#000'))).toBe(true)
    expect(isSvg(maliciousSvg(10, 10))).toBe(true)
    expect(isSvg(Buffer.from('\uFEFF<!-- made by hand -->\n<svg viewBox="0 0 1 1"/>'))).toBe(true)
    expect(isSvg(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer())).toBe(false)
    expect(isSvg(Buffer.from('<html><svg></svg></html>'))).toBe(false)
  })
})
