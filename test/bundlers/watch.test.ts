/**
 * webpack watch and Rollup watch rebuild when assets.config.ts or a reference
 * image it names changes, and the rebuilt output follows the new config.
 */
import type { RollupWatcher } from 'rollup'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { watch as rollupWatch } from 'rollup'
import sharp from 'sharp'
import { afterEach, expect, it } from 'vitest'
import webpack from 'webpack'
import AiAssetsRollup from '../../src/rollup'
import AiAssetsWebpack from '../../src/webpack'
import { copyFixture, decode, edit, listFiles } from '../helpers'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse())
    await cleanup()
})

/** Build results of a watcher, one at a time. */
function builds() {
  const pending: { resolve: () => void, reject: (error: Error) => void }[] = []
  const done: (Error | undefined)[] = []
  const settle = () => {
    while (pending.length > 0 && done.length > 0) {
      const error = done.shift()
      const waiter = pending.shift()!
      error ? waiter.reject(error) : waiter.resolve()
    }
  }
  return {
    report(error?: Error) {
      done.push(error)
      settle()
    },
    next(): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no rebuild within 20 s')), 20_000)
        pending.push({
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          },
        })
        settle()
      })
    },
  }
}

/** The image files the entry's code names, and the output's image files. */
function named(dist: string, entry: string) {
  const code = readFileSync(join(dist, entry), 'utf8')
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- short file names from our own build
  return [...new Set(code.match(/[\w/-]+-\d+\.[0-9a-f]{8}\.webp/g))].map(file => file.replace(/^.*?(?=(?:icons\/)?[a-z]+-\d+\.)/, '')).sort()
}

const blue = () => sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer()

/** The edits both watchers must follow: first the config, then the reference image. */
async function followEdits(root: string, dist: string, entry: string, next: () => Promise<void>) {
  const config = join(root, 'assets.config.ts')
  await next()
  const first = named(dist, entry)
  expect(first.filter(file => file.startsWith('hero-')).map(file => file.split('.')[0])).toEqual(['hero-160', 'hero-80'])

  // An output field: new widths of hero.
  edit(config, text => text.replace(`size: '320x160', alt`, `size: '320x160', widths: [40, 160], alt`))
  await next()
  const second = named(dist, entry)
  expect(second.filter(file => file.startsWith('hero-')).map(file => file.split('.')[0])).toEqual(['hero-160', 'hero-40'])
  expect(second.filter(file => !file.startsWith('hero-'))).toEqual(first.filter(file => !file.startsWith('hero-')))

  // The reference image of badge: a new generation key, a new image.
  const badge = second.find(file => file.startsWith('badge-'))!
  await new Promise(resolve => setTimeout(resolve, 50))
  await sharp(await blue()).toFile(join(root, 'reference.png'))
  await next()
  const third = named(dist, entry)
  const newBadge = third.find(file => file.startsWith('badge-'))!
  expect(newBadge).not.toBe(badge)
  expect(third.filter(file => !file.startsWith('badge-'))).toEqual(second.filter(file => !file.startsWith('badge-')))

  // Every file the code names is there, and the new badge is blue.
  const images = listFiles(dist).filter(file => file.endsWith('.webp'))
  for (const file of third)
    expect(images.some(image => image.endsWith(file)), file).toBe(true)
  const badgeFile = join(dist, images.find(image => image.endsWith(newBadge))!)
  const { dominant } = await sharp(badgeFile).stats()
  expect(dominant.b).toBeGreaterThan(200)
  expect(await decode(badgeFile)).toMatchObject({ width: 32, height: 32 })
}

it('webpack watch rebuilds on a config edit and on a reference image edit', async () => {
  const root = copyFixture('app')
  const dist = join(root, 'dist')
  const { report, next } = builds()
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: root,
    entry: { main: './src/main.js' },
    output: { path: dist, clean: true },
    plugins: [AiAssetsWebpack({ frozen: false })],
    infrastructureLogging: { level: 'error' },
  })
  const watching = compiler.watch({ aggregateTimeout: 20 }, (error, stats) => {
    report(error ?? (stats?.hasErrors() ? new Error(stats.toString('errors-only')) : undefined))
  })
  cleanups.push(() => new Promise<void>(resolve => watching ? watching.close(() => resolve()) : resolve()))
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  await followEdits(root, dist, 'main.js', next)
  // output.clean: the old hero-80 is gone, the files of modules webpack took from its cache are not.
  expect(listFiles(dist).some(file => file.includes('hero-80'))).toBe(false)
  expect(existsSync(join(dist, 'assets', 'icons'))).toBe(true)
})

it('Rollup watch rebuilds on a config edit and on a reference image edit', async () => {
  const root = copyFixture('app')
  const dist = join(root, 'dist')
  const { report, next } = builds()
  const watcher: RollupWatcher = rollupWatch({
    input: join(root, 'src/main.js'),
    plugins: [AiAssetsRollup({ frozen: false, config: join(root, 'assets.config.ts') })],
    output: { dir: dist, format: 'es' },
    watch: { buildDelay: 20 },
  })
  watcher.on('event', (event) => {
    if (event.code === 'BUNDLE_END')
      event.result.close()
    if (event.code === 'END')
      report()
    if (event.code === 'ERROR') {
      event.result?.close()
      report(Object.assign(new Error(event.error.message), event.error))
    }
  })
  cleanups.push(() => watcher.close())
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  await followEdits(root, dist, 'main.js', next)
})
