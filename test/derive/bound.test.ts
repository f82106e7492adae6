/**
 * The derivation bound and one decode per asset, seen in real `vite build`s
 * through the diagnostics channels the code publishes on (README "Plugin
 * options", `deriveConcurrency`): no mock of sharp or of the bundler.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { SHARP_CHANNEL } from '../../src/common/sharp'
import { createPipeline } from '../../src/core/pipeline'
import { DERIVE_CHANNEL } from '../../src/derive/index'
import { copyFixture, listFiles, viteBuild } from '../helpers'

const ASSETS = 12

/**
 * A project of ASSETS imported assets from a custom provider drawing noisy
 * 400×200 images (every third one with a transparent band); webp and avif at
 * 100 and 200 px, so 4 files an asset plus the fallback's 2.
 */
function manyAssets(): string {
  const root = copyFixture('empty')
  const names = Array.from({ length: ASSETS }, (_, i) => `photo-${i}`)
  writeFileSync(join(root, 'assets.config.ts'), `import sharp from 'sharp'
import { defineAssets } from 'unplugin-ai-assets'
export default defineAssets({
  provider: {
    name: 'noise',
    model: 'noise-1',
    async generate(request) {
      const seed = Number(request.asset.replace('photo-', ''))
      const alpha = seed % 3 === 0
      // A gradient with grain from a seeded generator: different for every asset, so that no two share an original.
      const { width, height } = request
      const pixels = Buffer.alloc(width * height * 4)
      let state = seed + 1
      for (let i = 0; i < width * height; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff
        const x = i % width
        const y = Math.floor(i / width)
        const grain = (state >> 8) % 60
        pixels.set([(x + seed * 20 + grain) % 256, (y + grain) % 256, (200 - seed * 10 + grain) % 256, alpha && y < 20 ? 0 : 255], i * 4)
      }
      const image = sharp(pixels, { raw: { width, height, channels: 4 } })
      return { images: [await (alpha ? image : image.removeAlpha()).png().toBuffer()] }
    },
  },
  defaults: { widths: [100, 200], formats: ['webp', 'avif'], size: '400x200' },
  assets: {
${names.map((name, i) => `    ${JSON.stringify(name)}: { prompt: 'Noise ${i}', alt: 'Noise ${i}' },`).join('\n')}
  },
})
`)
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'index.html'), `<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>\n`)
  writeFileSync(join(root, 'src/main.js'), `${names.map((name, i) => `import i${i} from '~ai-assets/${name}'`).join('\n')}\nconsole.log(${names.map((_, i) => `i${i}`).join(', ')})\n`)
  return root
}

/** Everything published on both channels while `run` runs. */
async function observe(run: () => Promise<unknown>) {
  const derives: { id: string, phase: 'start' | 'end' }[] = []
  const opened: { input: string }[] = []
  const onDerive = (message: unknown) => derives.push(message as typeof derives[number])
  const onSharp = (message: unknown) => opened.push(message as typeof opened[number])
  subscribe(DERIVE_CHANNEL, onDerive)
  subscribe(SHARP_CHANNEL, onSharp)
  try {
    await run()
  }
  finally {
    unsubscribe(DERIVE_CHANNEL, onDerive)
    unsubscribe(SHARP_CHANNEL, onSharp)
  }
  let inFlight = 0
  let most = 0
  for (const { phase } of derives) {
    inFlight += phase === 'start' ? 1 : -1
    most = Math.max(most, inFlight)
  }
  return { derives, opened, most }
}

describe('derivation bound', () => {
  it('a cold build derives at most deriveConcurrency assets at once, decoding each original once', async () => {
    const root = manyAssets()
    // The first build generates the originals (the store decodes each to check it); the second derives from the store.
    await viteBuild(root, { deriveConcurrency: 3 })
    rmSync(join(root, 'node_modules', '.cache', 'ai-assets'), { recursive: true, force: true })
    const { derives, opened, most } = await observe(() => viteBuild(root, { deriveConcurrency: 3 }))

    const started = derives.filter(d => d.phase === 'start').map(d => d.id)
    expect(started).toHaveLength(ASSETS)
    expect(new Set(started).size).toBe(ASSETS)
    // Bounded, yet not one at a time: the bundler asked for all of them at once.
    expect(most).toBeLessThanOrEqual(3)
    expect(most).toBeGreaterThan(1)
    // One decode of encoded bytes per asset; every output and the preview read its pixels.
    expect(opened.filter(o => o.input === 'buffer')).toHaveLength(ASSETS)
    const transparent = Array.from({ length: ASSETS }, (_, i) => i).filter(i => i % 3 === 0).length
    // 4 files + the preview an asset; the opaque ones add a jpeg fallback at 2 widths, the transparent ones a png.
    expect(opened.filter(o => o.input === 'pixels')).toHaveLength(ASSETS * 7)
    expect(opened).toHaveLength(ASSETS * 8)

    const dist = join(root, 'dist')
    const files = listFiles(dist).filter(file => /\.(?:webp|avif|jpg|png)$/.test(file))
    expect(files).toHaveLength(ASSETS * 6)
    for (const file of files) {
      const { width, height, format, hasAlpha } = await sharp(join(dist, file)).metadata()
      const wide = /-(\d+)\.\w+\.\w+$/.exec(file)![1]
      expect([width, height], file).toEqual([Number(wide), Number(wide) / 2])
      expect(format, file).toBe({ webp: 'webp', avif: 'heif', jpg: 'jpeg', png: 'png' }[file.split('.').at(-1)!])
      const seed = Number(/photo-(\d+)-/.exec(file)![1])
      // The transparent band survives in every format that has alpha; jpeg has none.
      if (seed % 3 === 0 && !file.endsWith('.jpg'))
        expect(hasAlpha, file).toBe(true)
    }
    expect(files.filter(file => file.endsWith('.png'))).toHaveLength(transparent * 2)

    // Warm: everything comes from the cache, nothing is derived or decoded.
    const warm = await observe(() => viteBuild(root, { deriveConcurrency: 3 }, { build: { outDir: 'dist2' } }))
    expect(warm.derives).toEqual([])
    expect(warm.opened).toEqual([])
  })

  it('refuses a deriveConcurrency that is not a whole number of 1 or more, naming the option', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2']) {
      expect(() => createPipeline({ deriveConcurrency: bad as number }), String(bad))
        .toThrow(/option `deriveConcurrency` must be a whole number of 1 or more .*default \d+, the number of cores\), not/)
    }
    const root = manyAssets()
    await expect(viteBuild(root, { deriveConcurrency: 0 })).rejects.toThrow('option `deriveConcurrency` must be a whole number of 1 or more')
  })

  it('refuses a concurrency that is not a whole number of 1 or more, naming the option (not p-queue\'s words)', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2']) {
      expect(() => createPipeline({ concurrency: bad as number }), String(bad))
        .toThrow(/option `concurrency` must be a whole number of 1 or more \(provider requests in flight at once; default 4\), not/)
    }
    expect(() => createPipeline({ concurrency: 1, deriveConcurrency: 1 })).not.toThrow()
  })
})
