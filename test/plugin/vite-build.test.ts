import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { LOCKFILE_NAME } from '../../src/core/lockfile'
import { copyFixture, decode, edit, listFiles, readText, sharpCalls, viteBuild } from '../helpers'

const calls = () => ((globalThis as any).__aiAssetsCalls ??= []) as { asset: string }[]
const readLock = (root: string) => JSON.parse(readFileSync(join(root, 'ai-assets', LOCKFILE_NAME), 'utf8'))
const js = (dir: string) => readText(dir, file => file.endsWith('.js'))

beforeEach(() => {
  calls().length = 0
})

describe('vite build', () => {
  it('emits every width × format of an imported asset and of its fallback, decodable at its size and referenced by the JS', async () => {
    const root = copyFixture('counting')
    const dist = await viteBuild(root)
    const images = listFiles(dist).filter(file => !file.endsWith('.js') && !file.endsWith('.html'))
    const hero = images.filter(file => file.includes('hero-'))
    // formats: ['webp', 'avif'] and an opaque original: the <img> fallback is a JPEG, at every width too.
    expect(hero).toHaveLength(6)
    for (const [width, height, format] of [[300, 150, 'webp'], [600, 300, 'webp'], [300, 150, 'heif'], [600, 300, 'heif'], [300, 150, 'jpeg'], [600, 300, 'jpeg']] as const) {
      const ext = { heif: 'avif', jpeg: 'jpg', webp: 'webp' }[format]
      const file = hero.find(f => f.startsWith(`assets/hero-${width}.`) && f.endsWith(`.${ext}`))
      expect(file, `hero ${width} ${ext}`).toBeDefined()
      expect(await decode(join(dist, file!))).toEqual({ width, height, format })
    }
    const code = js(dist)
    for (const file of images)
      expect(code).toContain(`/${file}`)
  })

  it('emits only imported assets, and for ?url only the src file', async () => {
    const root = copyFixture('counting')
    const dist = await viteBuild(root)
    const images = listFiles(dist).filter(file => file.startsWith('assets/') && !file.endsWith('.js'))
    expect(images.some(file => file.includes('card'))).toBe(false)
    // logo is imported with ?url: widths [128, 256, 4096] clamp to the 1024 px original, and only src is emitted.
    const logo = images.filter(file => file.includes('logo'))
    expect(logo).toEqual([expect.stringMatching(/^assets\/logo-1024\.[0-9a-f]{8}\.png$/)])
    expect(await decode(join(dist, logo[0]!))).toEqual({ width: 1024, height: 1024, format: 'png' })
    expect(calls().map(c => c.asset).sort()).toEqual(['hero', 'logo'])
  })

  it('gives the GeneratedImage shape with alt, placeholder and dominant color', async () => {
    const root = copyFixture('counting')
    const dist = await viteBuild(root, {}, { build: { ssr: 'src/ssr.js', outDir: 'dist-node' } })
    const module = await import(join(dist, 'ssr.js'))
    const hero = module.hero
    expect(hero).toMatchObject({ width: 600, height: 300, format: 'jpeg', sizes: '100vw', transparent: false, alt: 'A cabin among tall pines' })
    // The image is solid #ff6b35; sharp's dominant color is the centre of a 16-level histogram bin.
    expect(hero.color).toMatch(/^#[0-9a-f]{6}$/)
    const channels = hero.color.slice(1).match(/../g).map((h: string) => Number.parseInt(h, 16))
    channels.forEach((value: number, i: number) => expect(Math.abs(value - [255, 107, 53][i]!)).toBeLessThanOrEqual(8))
    // src and srcset are the fallback's (JPEG); sources keep one entry per format, in order.
    expect(hero.src).toMatch(/^\/assets\/hero-600\.[0-9a-f]{8}\.jpg$/)
    expect(hero.srcset).toMatch(/^\/assets\/hero-300\.[0-9a-f]{8}\.jpg 300w, \/assets\/hero-600\.[0-9a-f]{8}\.jpg 600w$/)
    expect(hero.sources.map((s: { type: string }) => s.type)).toEqual(['image/webp', 'image/avif'])
    expect(hero.sources[0].srcset).toMatch(/^\/assets\/hero-300\.[0-9a-f]{8}\.webp 300w, \/assets\/hero-600\.[0-9a-f]{8}\.webp 600w$/)
    expect(hero.placeholder).toMatch(/^data:image\/webp;base64,/)
    expect(hero.placeholder.length).toBeLessThan(1024)
    const tiny = await decode(Buffer.from(hero.placeholder.split(',')[1], 'base64'))
    expect(tiny.width).toBeLessThanOrEqual(16)
    expect(module.logoUrl).toMatch(/^\/assets\/logo-1024\.[0-9a-f]{8}\.png$/)
  })

  it('keeps the original in the store and a sorted lockfile entry for it', async () => {
    const root = copyFixture('counting')
    await viteBuild(root)
    const text = readFileSync(join(root, 'ai-assets', LOCKFILE_NAME), 'utf8')
    const lock = JSON.parse(text)
    expect(Object.keys(lock)).toEqual(['hero', 'logo'])
    expect(Object.keys(lock.hero)).toEqual([...Object.keys(lock.hero)].sort())
    expect(text).toBe(`${JSON.stringify(lock, null, 2)}\n`)
    const { file, sha256: hash, width, height, provider, model } = lock.hero
    expect({ width, height, provider, model }).toEqual({ width: 1536, height: 768, provider: 'solid', model: 'solid-1' })
    expect(file).toBe(`hero.${hash.slice(0, 12)}.png`)
    expect(sha256(readFileSync(join(root, 'ai-assets', file)))).toBe(hash)
    // Besides the git-ignored .locks/ folder.
    expect(listFiles(join(root, 'ai-assets')).filter(file => !file.startsWith('.locks/')).sort()).toEqual([LOCKFILE_NAME, lock.hero.file, lock.logo.file].sort())
  })

  it('a second build calls neither the provider nor sharp, and emits the same files', async () => {
    const root = copyFixture('counting')
    const first = listFiles(await viteBuild(root))
    expect(calls()).toHaveLength(2)
    const sharpBefore = sharpCalls.count
    const second = listFiles(await viteBuild(root, {}, { build: { outDir: 'dist2' } }))
    expect(calls()).toHaveLength(2)
    expect(sharpCalls.count).toBe(sharpBefore)
    expect(second.filter(f => !f.endsWith('.js'))).toEqual(first.filter(f => !f.endsWith('.js')))
  })

  it('regenerates on a prompt change but not on an alt or widths change', async () => {
    const root = copyFixture('counting')
    const config = join(root, 'assets.config.ts')
    await viteBuild(root)
    const key = readLock(root).hero.key

    edit(config, text => text.replace('A cabin among tall pines', 'Pines and a cabin').replace(`size: '1536x768',`, `size: '1536x768', widths: [200],`))
    const dist = await viteBuild(root)
    expect(calls()).toHaveLength(2)
    expect(readLock(root).hero.key).toBe(key)
    expect(listFiles(dist).some(f => /^assets\/hero-200\./.test(f))).toBe(true)
    expect(js(dist)).toContain('Pines and a cabin')

    edit(config, text => text.replace('A cozy cabin in the woods', 'A cozy cabin by a lake'))
    await viteBuild(root)
    expect(calls().map(c => c.asset).sort()).toEqual(['hero', 'hero', 'logo'])
    expect(readLock(root).hero.key).not.toBe(key)
  })

  it('a frozen build names every asset that is not fresh, with the fix, and calls nothing', async () => {
    const root = copyFixture('counting')
    const config = join(root, 'assets.config.ts')
    writeFileSync(join(root, 'src/all.js'), `import a from '~ai-assets/hero'\nimport b from '~ai-assets/logo'\nimport c from '~ai-assets/card'\nexport { a, b, c }\n`)
    await viteBuild(root, {}, { build: { ssr: 'src/all.js' } })
    expect(calls()).toHaveLength(3)
    edit(config, text => text.replace(`palette: 'brand'`, `palette: 'night'`))

    const error = await viteBuild(root, { frozen: true }).catch(e => e as Error)
    expect(error).toBeInstanceOf(Error)
    for (const name of ['hero', 'logo', 'card'])
      expect((error as Error).message).toMatch(new RegExp(`- ${name}: stale`))
    expect((error as Error).message).toContain('npx ai-assets generate hero logo card')
    expect(calls()).toHaveLength(3)
  })

  it('frozen is on when CI is set, and off with frozen: false', async () => {
    const root = copyFixture('counting')
    const ci = process.env.CI
    process.env.CI = 'true'
    try {
      const error = await viteBuild(root, { frozen: undefined }).catch(e => e as Error)
      expect((error as Error).message).toMatch(/Frozen run[\s\S]*- hero: missing/)
      expect(calls()).toHaveLength(0)
      await viteBuild(root, { frozen: false })
      expect(calls()).toHaveLength(2)
    }
    finally {
      process.env.CI = ci
    }
  })

  it('detects a corrupted store file: frozen fails naming it, unfrozen regenerates', async () => {
    const root = copyFixture('counting')
    await viteBuild(root)
    const { file } = readLock(root).hero
    const path = join(root, 'ai-assets', file)
    const bytes = readFileSync(path)
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xFF
    writeFileSync(path, bytes)

    const error = await viteBuild(root, { frozen: true }).catch(e => e as Error)
    expect((error as Error).message).toMatch(/- hero: stale \(store file hero\.[0-9a-f]{12}\.png is missing or corrupted\)/)
    expect((error as Error).message).not.toMatch(/- logo/)

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await viteBuild(root)
    expect(warn.mock.calls.map(call => String(call[0]))).toEqual([expect.stringMatching(/"hero": store file hero\.[0-9a-f]{12}\.png is missing or corrupted; generating it again/)])
    warn.mockRestore()
    expect(calls().map(c => c.asset).sort()).toEqual(['hero', 'hero', 'logo'])
    const entry = readLock(root).hero
    expect(sha256(readFileSync(join(root, 'ai-assets', entry.file)))).toBe(entry.sha256)
  })

  it('client and SSR builds of the same input emit the same file names', async () => {
    const root = copyFixture('counting')
    const client = await viteBuild(root)
    const server = await viteBuild(root, {}, { build: { ssr: 'src/ssr.js', outDir: 'dist-ssr', ssrEmitAssets: true } })
    const images = (dir: string) => listFiles(dir).filter(f => /\.(?:webp|avif|png)$/.test(f))
    expect(images(server)).toEqual(images(client))
    const referenced = (code: string) => [...code.matchAll(/assets\/[\w-]+\.[0-9a-f]{8}\.\w+/g)].map(m => m[0]).sort()
    expect([...new Set(referenced(js(server)))]).toEqual([...new Set(referenced(js(client)))])
  })

  it('honours base, absolute and relative', async () => {
    const root = copyFixture('counting')
    const absolute = await viteBuild(root, {}, { base: '/static/' })
    // Inside a string: Vite folds the URLs of a srcset into one literal.
    expect(js(absolute)).toMatch(/["`]\/static\/assets\/hero-600\.[0-9a-f]{8}\.jpg["`]/)
    expect(js(absolute)).toMatch(/\/static\/assets\/hero-600\.[0-9a-f]{8}\.webp 600w/)
    const ssr = await viteBuild(root, {}, { base: '/static/', build: { ssr: 'src/ssr.js', outDir: 'dist-node' } })
    expect((await import(join(ssr, 'ssr.js'))).hero.src).toMatch(/^\/static\/assets\/hero-600\./)
    const relative = await viteBuild(root, {}, { base: './', build: { outDir: 'dist-rel' } })
    expect(js(relative)).not.toContain('/static/')
    expect(js(relative)).toMatch(/new URL\(.hero-600\.[0-9a-f]{8}\.webp.,\s*import\.meta\.url\)/)
  })

  it('honours experimental.renderBuiltUrl, in the client and in SSR', async () => {
    const root = copyFixture('counting')
    const experimental = { renderBuiltUrl: (file: string, { ssr }: { ssr: boolean }) => `https://cdn.example.com/${ssr ? 'ssr' : 'client'}/${file}` }
    const client = await viteBuild(root, {}, { experimental })
    expect(js(client)).toMatch(/https:\/\/cdn\.example\.com\/client\/assets\/hero-600\.[0-9a-f]{8}\.jpg/)
    const ssr = await viteBuild(root, {}, { experimental, build: { ssr: 'src/ssr.js', outDir: 'dist-node' } })
    const { hero, logoUrl } = await import(join(ssr, 'ssr.js'))
    expect(hero.src).toMatch(/^https:\/\/cdn\.example\.com\/ssr\/assets\/hero-600\.[0-9a-f]{8}\.jpg$/)
    expect(logoUrl).toMatch(/^https:\/\/cdn\.example\.com\/ssr\/assets\/logo-1024\.[0-9a-f]{8}\.png$/)
  })
})
