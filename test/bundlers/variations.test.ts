import { execFileSync } from 'node:child_process'
/** Two entries sharing an asset, and esbuild's `write: false`. */
import { existsSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, context } from 'esbuild'
import { rolldown } from 'rolldown'
import { rollup } from 'rollup'
import { afterEach, beforeEach, expect, it } from 'vitest'
import AiAssetsEsbuild from '../../src/esbuild'
import AiAssetsRolldown from '../../src/rolldown'
import AiAssetsRollup from '../../src/rollup'
import { copyFixture, decode, edit, listFiles, readText } from '../helpers'
import { buildWith, BUNDLERS } from './bundlers'

const calls = () => ((globalThis as any).__aiAssetsCalls ??= []) as { asset: string }[]
const roots: string[] = []
/** A file name without its content hash, which the expectations cannot know. */
const unhashed = (file: string) => file.replace(/\.[0-9a-f]{8}\./, '.HASH.')

beforeEach(() => {
  calls().length = 0
})

afterEach(() => {
  roots.splice(0).forEach(root => rmSync(root, { recursive: true, force: true }))
})

it.each(BUNDLERS)('%s: two entries importing the same asset emit its files once', async (bundler) => {
  const root = copyFixture('app')
  roots.push(root)
  const dist = await buildWith(bundler, {
    root,
    entries: { main: 'src/main.js', second: 'src/second.js' },
    outDir: 'dist',
    target: 'browser',
    esm: true,
    plugin: bundler === 'rollup' ? { config: join(root, 'assets.config.ts') } : {},
  })
  const files = listFiles(dist)
  expect(files).toEqual(expect.arrayContaining(['main.js', 'second.js']))
  const hero = files.filter(file => file.startsWith('assets/hero-'))
  expect(hero.map(unhashed).sort()).toEqual(['assets/hero-160.HASH.jpg', 'assets/hero-160.HASH.webp', 'assets/hero-80.HASH.jpg', 'assets/hero-80.HASH.webp'])
  // One generation, and the code of both entries points at those four files only.
  expect(calls().filter(call => call.asset === 'hero')).toHaveLength(1)
  const code = readText(dist, file => file.endsWith('.js'))
  expect(new Set(code.match(/hero-\d+\.[0-9a-f]{8}\.(?:webp|jpg)/g))).toEqual(new Set(hero.map(file => file.slice('assets/'.length))))
})

it('esbuild with write: false gives the image files in outputFiles and writes nothing', async () => {
  const root = copyFixture('app')
  roots.push(root)
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/main.js'],
    outdir: 'out',
    bundle: true,
    write: false,
    logLevel: 'silent',
    plugins: [AiAssetsEsbuild({ frozen: false })],
  })
  expect(existsSync(join(root, 'out'))).toBe(false)
  const images = result.outputFiles.filter(file => /\.(?:webp|jpg)$/.test(file.path))
  // Every imported asset in WebP and in its JPEG fallback; logo (?url) as its src alone.
  expect(images.map(file => unhashed(relative(join(root, 'out'), file.path))).sort()).toEqual([
    'assets/badge-32.HASH.jpg',
    'assets/badge-32.HASH.webp',
    'assets/hero-160.HASH.jpg',
    'assets/hero-160.HASH.webp',
    'assets/hero-80.HASH.jpg',
    'assets/hero-80.HASH.webp',
    'assets/icons/bolt-24.HASH.jpg',
    'assets/icons/bolt-24.HASH.webp',
    'assets/logo-96.HASH.jpg',
  ])
  const hero = images.find(file => file.path.includes('hero-160') && file.path.endsWith('.webp'))!
  expect(await decode(Buffer.from(hero.contents))).toEqual({ width: 160, height: 80, format: 'webp' })
  const js = result.outputFiles.find(file => file.path.endsWith('main.js'))!.text
  for (const image of images)
    expect(js).toContain(`"./${relative(join(root, 'out'), image.path)}"`)
})

it('an esbuild context rebuild follows an edited config', async () => {
  const root = copyFixture('app')
  roots.push(root)
  const ctx = await context({
    absWorkingDir: root,
    entryPoints: ['src/main.js'],
    outdir: 'out',
    bundle: true,
    logLevel: 'silent',
    plugins: [AiAssetsEsbuild({ frozen: false })],
  })
  try {
    await ctx.rebuild()
    const hero = () => [...new Set(listFiles(join(root, 'out')).filter(file => file.startsWith('assets/hero-')).map(file => file.split('.')[0]))]
    expect(hero()).toEqual(['assets/hero-160', 'assets/hero-80'])
    edit(join(root, 'assets.config.ts'), text => text.replace(`size: '320x160', alt`, `size: '320x160', widths: [40, 160], alt`))
    await ctx.rebuild()
    expect(hero()).toContain('assets/hero-40')
    expect(readText(join(root, 'out'), file => file.endsWith('.js'))).toMatch(/"\.\/assets\/hero-40\.[0-9a-f]{8}\.webp"/)
  }
  finally {
    await ctx.dispose()
  }
})

it.each(['rollup', 'rolldown'] as const)('%s: CommonJS and umd bundles run in Node give file URLs of the emitted files', async (bundler) => {
  const root = copyFixture('app')
  roots.push(root)
  const input = { node: join(root, 'src/node.js') }
  for (const format of ['cjs', 'umd'] as const) {
    const options = { frozen: false, config: join(root, 'assets.config.ts') }
    const bundle = bundler === 'rollup'
      ? await rollup({ input, plugins: [AiAssetsRollup(options)] })
      : await rolldown({ input, platform: 'node', plugins: [AiAssetsRolldown(options)], logLevel: 'silent' })
    await bundle.write({ dir: join(root, format), format, entryFileNames: '[name].cjs', name: 'app' })
    await bundle.close()
    const { hero } = JSON.parse(execFileSync(process.execPath, [join(root, format, 'node.cjs')], { encoding: 'utf8' }))
    expect(hero.src, format).toMatch(/^file:.*\/assets\/hero-160\.[0-9a-f]{8}\.jpg$/)
    expect(fileURLToPath(hero.src).startsWith(join(root, format)), format).toBe(true)
    expect(await decode(fileURLToPath(hero.src))).toEqual({ width: 160, height: 80, format: 'jpeg' })
  }
})
