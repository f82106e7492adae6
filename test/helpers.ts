/** Shared by the tests: fixtures copied to scratch folders, real Vite builds, real image decoding. */
import type { InlineConfig } from 'vite'
import type { Options } from '../src/types'
import { subscribe } from 'node:diagnostics_channel'
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { build } from 'vite'
import { SHARP_CHANNEL } from '../src/common/sharp'
import AiAssets from '../src/vite'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

let counter = 0

/**
 * A fresh copy of `fixtures/<name>` inside the repo (so that `unplugin-ai-assets`
 * resolves to this package), with its own store and cache.
 */
export function copyFixture(name: string): string {
  const scratch = process.env.AI_ASSETS_TEST_SCRATCH ?? join(repoRoot, '.tmp', 'manual')
  const dir = join(scratch, `${name.replace(/\W/g, '-')}-${process.pid}-${counter++}`)
  mkdirSync(dir, { recursive: true })
  cpSync(join(repoRoot, 'fixtures', name), dir, { recursive: true })
  return dir
}

/** Edits a fixture file in place. */
export function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')))
}

/** A real `vite build` of `root`, quiet, with the plugin; gives the output folder. */
export async function viteBuild(root: string, options: Options = {}, config: InlineConfig = {}): Promise<string> {
  const outDir = config.build?.outDir ?? 'dist'
  await build({
    root,
    configFile: false,
    logLevel: 'silent',
    ...config,
    plugins: [AiAssets({ frozen: false, ...options }), ...(config.plugins ?? [])],
    build: { emptyOutDir: true, ...config.build, outDir },
  })
  return join(root, outDir)
}

/** Every file below `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

export function readText(dir: string, predicate: (file: string) => boolean): string {
  return listFiles(dir).filter(predicate).map(file => readFileSync(join(dir, file), 'utf8')).join('\n')
}

export async function decode(file: string | Buffer) {
  const { width, height, format } = await sharp(file).metadata()
  return { width, height, format }
}

/** sharp pipelines opened so far in this process: the debug event every `openImage` publishes. */
export const sharpCalls = { count: 0 }
subscribe(SHARP_CHANNEL, () => { sharpCalls.count++ })
