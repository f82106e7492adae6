/**
 * A cold build's memory must not grow with the assets: once an asset is
 * derived and its files are handed to the bundler, the plugin keeps neither
 * its original, its decoded pixels nor its files' bytes (README "The store,
 * the lockfile and frozen builds", derivatives). Seen in real builds through
 * the diagnostics channels (every sharp input, every file handed to the
 * bundler), each Buffer held here weakly, with V8's real garbage collector:
 * no mock. The plugin object stays referenced throughout, as a dev server or
 * a framework keeps it, so anything it kept would stay alive.
 */
import type { Plugin } from 'vite'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { build as esbuild } from 'esbuild'
import { build as vite } from 'vite'
import { describe, expect, it } from 'vitest'
import { SHARP_CHANNEL } from '../../src/common/sharp'
import AiAssetsEsbuild from '../../src/esbuild'
import { EMIT_CHANNEL } from '../../src/plugin/bundlers/index'
import AiAssetsVite from '../../src/vite'
import { copyFixture, listFiles, viteBuild } from '../helpers'

setFlagsFromString('--expose-gc')
const gc: () => void = runInNewContext('gc')

const ASSETS = 6

/** Collects garbage for real: WeakRefs made in this turn stay alive until it ends, so wait a turn first. */
async function collect(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await new Promise(resolve => setImmediate(resolve))
    gc()
  }
}

/**
 * ASSETS assets from a custom provider drawing noisy 300×200 PNGs, webp at
 * 100 and 200 px plus the jpeg fallback's two: 4 files an asset. The first
 * build stores the originals; the derivative cache is then emptied, so that
 * the next build is cold.
 */
async function coldProject(): Promise<string> {
  const root = copyFixture('empty')
  const names = Array.from({ length: ASSETS }, (_, i) => `photo-${i}`)
  writeFileSync(join(root, 'assets.config.ts'), `import sharp from 'sharp'
import { defineAssets } from 'unplugin-ai-assets'
export default defineAssets({
  provider: {
    name: 'noise',
    model: 'noise-1',
    async generate(request) {
      let state = Number(request.asset.replace('photo-', '')) + 1
      const pixels = Buffer.alloc(request.width * request.height * 3)
      for (let i = 0; i < pixels.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff
        pixels[i] = (i % 251 + (state >> 8) % 50) & 0xff
      }
      return { images: [await sharp(pixels, { raw: { width: request.width, height: request.height, channels: 3 } }).png().toBuffer()] }
    },
  },
  defaults: { widths: [100, 200], formats: ['webp'], size: '300x200' },
  assets: {
${names.map((name, i) => `    ${JSON.stringify(name)}: { prompt: 'Noise ${i}', alt: 'Noise ${i}' },`).join('\n')}
  },
})
`)
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'index.html'), `<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>\n`)
  writeFileSync(join(root, 'src/main.js'), `${names.map((name, i) => `import i${i} from '~ai-assets/${name}'`).join('\n')}\nconsole.log(${names.map((_, i) => `i${i}`).join(', ')})\n`)
  await viteBuild(root)
  rmSync(join(root, 'node_modules', '.cache', 'ai-assets'), { recursive: true, force: true })
  rmSync(join(root, 'dist'), { recursive: true, force: true })
  return root
}

/** Weak references to every distinct Buffer published while `run` runs: originals, decoded pixels, files handed to the bundler. */
async function watchBuffers(run: (alive: () => Record<string, number>) => Promise<void>) {
  const refs = { originals: [] as WeakRef<Buffer>[], pixels: [] as WeakRef<Buffer>[], emitted: [] as WeakRef<Buffer>[] }
  const seen = new WeakSet<Buffer>()
  const hold = (kind: keyof typeof refs, data: Buffer | undefined) => {
    if (data && !seen.has(data)) {
      seen.add(data)
      refs[kind].push(new WeakRef(data))
    }
  }
  const onSharp = (message: unknown) => {
    const { input, data } = message as { input: string, data?: Buffer }
    hold(input === 'pixels' ? 'pixels' : 'originals', data)
  }
  const onEmit = (message: unknown) => hold('emitted', (message as { data: Buffer }).data)
  const alive = () => Object.fromEntries(Object.entries(refs).map(([kind, list]) => [kind, list.filter(ref => ref.deref()).length]))
  subscribe(SHARP_CHANNEL, onSharp)
  subscribe(EMIT_CHANNEL, onEmit)
  try {
    await run(alive)
  }
  finally {
    unsubscribe(SHARP_CHANNEL, onSharp)
    unsubscribe(EMIT_CHANNEL, onEmit)
  }
  return { counts: Object.fromEntries(Object.entries(refs).map(([kind, list]) => [kind, list.length])), alive }
}

const NONE = { originals: 0, pixels: 0, emitted: 0 }
// One original decoded per asset, its pixels read by every output; the 16-pixel preview made from them
// (preview-pixels.ts), encoded from a buffer of its own; 4 files an asset.
const MADE = { originals: ASSETS, pixels: ASSETS * 2, emitted: ASSETS * 4 }

describe('what a cold build keeps', () => {
  it('vite build: while the bundle is written, and after, the plugin holds no original, no decoded pixels and none of the bytes it emitted', async () => {
    const root = await coldProject()
    const plugin = AiAssetsVite({ frozen: true, dts: false })
    let whileWriting: Record<string, number> | undefined
    const { counts, alive } = await watchBuffers(async (alive) => {
      // After every module is loaded: Vite (Rolldown) holds its own copy of each emitted file until it writes it.
      const probe: Plugin = { name: 'probe', async generateBundle() {
        await collect()
        whileWriting = alive()
      } }
      await vite({ root, configFile: false, logLevel: 'silent', plugins: [plugin, probe], build: { assetsInlineLimit: 0 } })
    })
    expect(counts).toEqual(MADE)
    expect(listFiles(join(root, 'dist')).filter(file => /\.(?:webp|jpg)$/.test(file))).toHaveLength(ASSETS * 4)
    expect(whileWriting).toEqual(NONE)
    await collect()
    expect(alive()).toEqual(NONE)
    expect(plugin).toBeTruthy()
  })

  it('esbuild: once the files are written, the plugin holds none of them (esbuild has no emitFile: the plugin writes them when the build ends)', async () => {
    const root = await coldProject()
    const plugin = AiAssetsEsbuild({ frozen: true, dts: false })
    const { counts, alive } = await watchBuffers(async () => {
      await esbuild({ absWorkingDir: root, entryPoints: [join(root, 'src/main.js')], outdir: join(root, 'out'), bundle: true, logLevel: 'silent', plugins: [plugin] })
    })
    expect(counts).toEqual(MADE)
    expect(listFiles(join(root, 'out')).filter(file => /\.(?:webp|jpg)$/.test(file))).toHaveLength(ASSETS * 4)
    await collect()
    expect(alive()).toEqual(NONE)
    expect(plugin).toBeTruthy()
  })
})
