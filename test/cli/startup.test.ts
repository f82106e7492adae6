/**
 * An instant CLI (README "The `ai-assets` CLI"): each command loads only what
 * it uses, and evaluates the config once. The real bin runs in a child process
 * that lists every module it loads (loaded-modules.mjs), on a fixture whose
 * config loads nothing heavy itself (its provider imports sharp when called).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyFixture, repoRoot } from '../helpers'
import { cli, readLock } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }
const LOGGER = fileURLToPath(new URL('./loaded-modules.mjs', import.meta.url))
/**
 * What only some commands need: images (sharp and its libvips), SVG
 * sanitising and optimising, the bundler plugin (unplugin) and the
 * generation's provider-call queue (p-queue). The config imports
 * `defineAssets` from the package, as users' configs do: the package's main
 * entry must bring none of them.
 */
const HEAVY = ['sharp', '@img', 'jsdom', 'dompurify', 'svgo', 'unplugin', 'p-queue']

interface Loaded {
  /** Packages, by name (`@img/sharp-linux-x64` counts as `@img`). */
  packages: Set<string>
  /** Files of this package's dist/, relative to it. */
  dist: string[]
}

/** Runs the bin with `args` in `dir`; gives its output and what it loaded. */
async function runListing(dir: string, args: string[]) {
  const log = join(dir, `modules-${args.join('-').replace(/\W+/g, '_')}.log`)
  rmSync(log, { force: true })
  const result = await cli(dir, args, { ...env, AI_ASSETS_MODULE_LOG: log }, ['--import', LOGGER])
  const files = readFileSync(log, 'utf8').split('\n').filter(url => url.startsWith('file:')).map(url => fileURLToPath(url))
  const packages = new Set(files.filter(file => file.includes(`${sep}node_modules${sep}`)).map(file => file.split(`${sep}node_modules${sep}`).at(-1)!.split(sep)[0]!))
  const distDir = join(repoRoot, 'dist') + sep
  const dist = [...new Set(files.filter(file => file.startsWith(distDir)).map(file => file.slice(distDir.length)))].sort()
  const loaded: Loaded = { packages, dist }
  return { ...result, loaded }
}

describe('each command loads only what it uses', () => {
  let dir: string
  beforeAll(async () => {
    dir = copyFixture('cli-light')
    const generated = await cli(dir, ['generate'], env)
    expect(generated.code, generated.stderr).toBe(0)
  })

  it('--version and --help load the bin and cac only: no command, no config loader', async () => {
    for (const args of [['--version'], ['--help']]) {
      const { code, stdout, loaded } = await runListing(dir, args)
      expect(code).toBe(0)
      expect(stdout).toMatch(args[0] === '--version' ? /^ai-assets\/\d+\.\d+\.\d+/ : /Commands:/)
      expect(loaded.dist, args[0]).toEqual([join('cli', 'index.mjs')])
      expect([...loaded.packages], args[0]).toEqual(['cac'])
    }
  })

  it('status and prune load neither sharp, jsdom, dompurify, svgo, unplugin nor p-queue, with a config importing defineAssets from the package', async () => {
    // The logger sees them when they load: preview loads sharp.
    const preview = await runListing(dir, ['preview', '--out', 'preview.html'])
    expect(preview.code, preview.stderr).toBe(0)
    expect(preview.loaded.packages).toContain('sharp')
    // …and generate loads the queue.
    const generate = await runListing(dir, ['generate', 'hero', '--force'])
    expect(generate.code, generate.stderr).toBe(0)
    expect(generate.loaded.packages).toContain('p-queue')

    for (const args of [['status'], ['status', '--json'], ['prune', '--dry-run'], ['prune']]) {
      const { code, stdout, stderr, loaded } = await runListing(dir, args)
      expect(code, stderr).toBe(0)
      expect(stdout).toMatch(args[0] === 'status' ? /hero/ : /Nothing to prune/)
      // The config was read: the command did its work, not just start.
      expect(loaded.packages).toContain('jiti')
      // The config's `import { defineAssets } from 'unplugin-ai-assets'` loaded the package's main entry.
      expect(loaded.dist, args.join(' ')).toContain('index.mjs')
      expect(HEAVY.filter(name => loaded.packages.has(name)), args.join(' ')).toEqual([])
    }
  })
})

describe('each command evaluates the config once', () => {
  it('generate, status, build, pick, prune, preview and types', async () => {
    const dir = copyFixture('cli-light')
    const evaluations = join(dir, 'evaluations.log')
    const count = async (args: string[]) => {
      rmSync(evaluations, { force: true })
      const { code, stderr } = await cli(dir, args, { ...env, AI_ASSETS_EVALUATIONS: evaluations })
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(0)
      return existsSync(evaluations) ? readFileSync(evaluations, 'utf8').split('\n').filter(Boolean).length : 0
    }
    const commands = [
      ['generate', '--dry-run'],
      ['generate'],
      ['generate'],
      ['generate', 'hero', '--force'],
      ['status'],
      ['status', '--json'],
      ['status', '--check'],
      ['build', '--out', 'public/images'],
      ['pick', 'logo', '2'],
      ['prune', '--dry-run'],
      ['prune'],
      ['preview', '--out', 'preview.html'],
      ['types'],
    ]
    const counts: Record<string, number> = {}
    for (const args of commands)
      counts[args.join(' ')] = await count(args)
    expect(counts).toEqual(Object.fromEntries(commands.map(args => [args.join(' '), 1])))
    // The commands did their work.
    expect(readLock(dir).logo.pick).toBe(1)
    expect(existsSync(join(dir, 'public/images/manifest.json'))).toBe(true)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(true)
  })
})
