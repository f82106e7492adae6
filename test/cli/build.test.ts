import type { GeneratedImage } from '../../src/types'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { copyFixture, decode, listFiles, readText, viteBuild } from '../helpers'
import { cli, providerLog } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }

/** Every URL of a GeneratedImage: src and each srcset candidate. */
function urls(image: GeneratedImage): { url: string, width: number }[] {
  const candidates = image.sources.flatMap(source => source.srcset.split(', ').map((candidate) => {
    const [url, w] = candidate.split(' ')
    return { url: url!, width: Number(w!.replace('w', '')) }
  }))
  return candidates
}

describe('build --out', () => {
  it('writes files that match manifest.json: every URL exists, decodes, and has the width it claims', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const { code, stdout, stderr } = await cli(dir, ['build', '--out', 'site/img', '--base', '/img'], { ...env, TEST_PROVIDER_LOG: log })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/Wrote 8 files \(0 unchanged\) and manifest\.json for 3 assets to site\/img\/ in .*; URLs start with \/img\//)
    expect(stdout).toContain('Summary: 3 generated, 0 cached, 0 placeholders, 0 failed')
    expect(providerLog(log)).toHaveLength(3)

    const out = join(dir, 'site', 'img')
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, GeneratedImage>
    expect(Object.keys(manifest)).toEqual(['hero', 'icons/bolt', 'logo'])

    const referenced = new Set<string>()
    for (const [name, image] of Object.entries(manifest)) {
      expect(image.src.startsWith(`/img/${name}-`)).toBe(true)
      expect(image.placeholder).toMatch(/^data:image\/webp;base64,/)
      expect(image.placeholder.length).toBeLessThan(1024)
      expect(image.color).toMatch(/^#[0-9a-f]{6}$/)
      for (const { url, width } of urls(image)) {
        const file = join(out, url.replace(/^\/img\//, ''))
        referenced.add(url.replace(/^\/img\//, ''))
        const decoded = await decode(file)
        expect(decoded.width, url).toBe(width)
        expect(decoded.format, url).toBe(url.endsWith('.webp') ? 'webp' : 'png')
      }
      // src is the largest width of the fallback's format, and its size is width × height.
      const { width, height } = await decode(join(out, image.src.replace(/^\/img\//, '')))
      expect([width, height]).toEqual([image.width, image.height])
      expect(image.srcset.split(', ').at(-1)).toBe(`${image.src} ${image.width}w`)
    }
    // Nothing but what the manifest names (and the manifest).
    expect(listFiles(out)).toEqual([...referenced, 'manifest.json'].sort())

    // formats: ['webp', 'png']: the fallback is the PNG already emitted (no extra files), and sources keep both, in order.
    expect(manifest.hero).toMatchObject({ width: 320, height: 160, format: 'png', sizes: '100vw', transparent: false, alt: 'A cabin among tall pines' })
    expect(manifest.hero!.sources.map(s => s.type)).toEqual(['image/webp', 'image/png'])
    expect(manifest.hero!.sources[1]!.srcset).toBe(manifest.hero!.srcset)
    expect(manifest.logo).toMatchObject({ width: 256, height: 256, format: 'png' })
    expect(manifest['icons/bolt']!.srcset).toMatch(/^\/img\/icons\/bolt-64\.[0-9a-f]{8}\.png 64w$/)
    expect(manifest['icons/bolt']!.sources[0]!.srcset).toMatch(/^\/img\/icons\/bolt-64\.[0-9a-f]{8}\.webp 64w$/)

    // The hero is solid #ff6b35 (the provider draws the first palette color).
    const { dominant } = await sharp(join(out, manifest.hero!.src.replace(/^\/img\//, ''))).stats()
    expect([dominant.r, dominant.g, dominant.b].map((v, i) => Math.abs(v - [255, 107, 53][i]!) < 16)).toEqual([true, true, true])

    // A second build generates nothing and rewrites nothing.
    const again = await cli(dir, ['build', '--out', 'site/img', '--base', '/img/'], { ...env, TEST_PROVIDER_LOG: log })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Wrote 0 files (8 unchanged)')
    expect(again.stdout).toContain('Summary: 0 generated, 3 cached')
    expect(providerLog(log)).toHaveLength(3)
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(manifest)
  })

  it('gives the same file names as the Vite plugin, and relative URLs without --base', async () => {
    const dir = copyFixture('cli-basic')
    expect((await cli(dir, ['build', '--out', 'out'], env)).code).toBe(0)
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as Record<string, GeneratedImage>
    expect(manifest.logo!.src).toMatch(/^logo-256\.[0-9a-f]{8}\.png$/)
    expect(existsSync(join(dir, 'out', manifest.logo!.src))).toBe(true)

    const dist = await viteBuild(dir, { dts: false })
    const emitted = listFiles(dist).filter(file => file.startsWith('assets/logo-'))
    expect(emitted.map(file => file.replace(/^assets\//, '')).sort()).toEqual(urls(manifest.logo!).map(u => u.url).sort())
    expect(readText(dist, file => file.endsWith('.js'))).toContain(manifest.logo!.src)
  })

  it('in a frozen run, fails before writing anything when an asset is not fresh', async () => {
    const dir = copyFixture('cli-basic')
    const { code, stderr } = await cli(dir, ['build', '--out', 'out'], { ...env, CI: '1' })
    expect(code).toBe(1)
    expect(stderr).toContain('Frozen run')
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('needs --out', async () => {
    const dir = copyFixture('cli-basic')
    const { code, stderr } = await cli(dir, ['build'], env)
    expect(code).toBe(2)
    expect(stderr.trim()).toBe('ai-assets: build needs --out DIR: the folder to write the images and manifest.json into (e.g. --out public/images)')
  })

  it('refuses a --derive-concurrency that is not a whole number of 1 or more, before calling anything', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const { code, stderr } = await cli(dir, ['build', '--out', 'out', '--derive-concurrency', '0'], { ...env, TEST_PROVIDER_LOG: log })
    expect(code).toBe(2)
    expect(stderr.trim()).toBe('ai-assets: --derive-concurrency needs a whole number of 1 or more, not 0')
    expect(providerLog(log)).toHaveLength(0)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })

  it('builds with --derive-concurrency 1: every asset derived, one at a time', async () => {
    const dir = copyFixture('cli-basic')
    const { code, stdout } = await cli(dir, ['build', '--out', 'out', '--derive-concurrency', '1'], env)
    expect(code).toBe(0)
    expect(stdout).toMatch(/Wrote 8 files \(0 unchanged\) and manifest\.json for 3 assets/)
  })
})
