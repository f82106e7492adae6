/**
 * The validated-config cache (README "How much checking costs"), through the
 * real bin on real files: a config of JSON data that passed every check is
 * not checked again while it, its reference images and the package are
 * unchanged; anything else is checked on every load, and a config that fails
 * a check is never served from the cache. Whether a load was checked or
 * served from the cache is read from the diagnostics channel the loader
 * announces on (config-loads.mjs).
 */
import type { CliResult } from './cli'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { configCachePath } from '../../src/config/config-cache'
import { copyFixture, edit, repoRoot } from '../helpers'
import { BIN, cli, readLock, useRunwareFake } from './cli'

const KEY = 'rw-key-config-cache-5c1e'
const LOGGER = fileURLToPath(new URL('./config-loads.mjs', import.meta.url))

/** Runs the bin (or a copy of it) with the logger: its result, and how it loaded the config. */
async function run(dir: string, args: string[], env: Record<string, string | undefined>, bin = BIN): Promise<CliResult & { load?: 'cached' | 'checked' }> {
  const log = join(dir, 'config-loads.log')
  rmSync(log, { force: true })
  const result = await cli(dir, args, { ...env, AI_ASSETS_CONFIG_LOADS: log }, ['--import', LOGGER], bin)
  const loads = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
  expect(loads.length, `${args.join(' ')} loads the config once: ${result.stderr}`).toBeLessThanOrEqual(1)
  return { ...result, load: loads[0] as 'cached' | 'checked' | undefined }
}

const configFile = (dir: string) => join(dir, 'assets.config.ts')
const cacheEntry = (dir: string) => configCachePath(configFile(dir))

describe('the validated-config cache', () => {
  const served = useRunwareFake(KEY)

  it('checks a config of JSON data once, then serves it: the same results, and a changed value is checked again', async () => {
    const dir = copyFixture('cli-runware')
    const generated = await run(dir, ['generate'], served.env)
    expect(generated.code, generated.stderr).toBe(0)
    expect(generated.load).toBe('checked')
    expect(existsSync(cacheEntry(dir))).toBe(true)

    // What a checked load reports, and what a cached one does.
    rmSync(cacheEntry(dir))
    const checked = await run(dir, ['status', '--json'], served.env)
    const cached = await run(dir, ['status', '--json'], served.env)
    expect([checked.load, cached.load]).toEqual(['checked', 'cached'])
    expect(cached.code, cached.stderr).toBe(0)
    expect(cached.stdout).toBe(checked.stdout)
    expect(JSON.parse(cached.stdout).assets.map((row: { status: string }) => row.status)).toEqual(['fresh', 'fresh', 'fresh'])

    edit(configFile(dir), text => text.replace('smoke rising from the chimney', 'snow on the roof'))
    for (const load of ['checked', 'cached']) {
      const status = await run(dir, ['status'], served.env)
      expect(status.load).toBe(load)
      expect(status.stdout).toMatch(/stale\s+hero\s+prompt changed/)
      expect(status.stdout).toMatch(/fresh\s+logo/)
    }
  })

  it('checks again when a value the config reads from the environment changes', async () => {
    const dir = copyFixture('cli-runware')
    edit(configFile(dir), text => text.replace('\'A minimalist logo of a mountain range\'', 'process.env.TEST_LOGO_PROMPT'))
    const withPrompt = (prompt: string) => ({ ...served.env, TEST_LOGO_PROMPT: prompt })
    expect((await run(dir, ['generate'], withPrompt('A mountain logo'))).code).toBe(0)

    const same = await run(dir, ['status'], withPrompt('A mountain logo'))
    expect(same.load).toBe('cached')
    expect(same.stdout).toMatch(/fresh\s+logo/)
    const other = await run(dir, ['status'], withPrompt('A river logo'))
    expect(other.load).toBe('checked')
    expect(other.stdout).toMatch(/stale\s+logo\s+prompt changed/)
    // The provider's baseURL comes from the environment too: the fake's port is in the key.
    const elsewhere = await run(dir, ['status'], { ...withPrompt('A river logo'), TEST_RUNWARE_URL: 'http://127.0.0.1:9/v1' })
    expect(elsewhere.load).toBe('checked')
    expect(elsewhere.stdout).toMatch(/stale\s+logo\s+prompt changed/)
  })

  it('reads every reference image on every load: an edited one is checked again, one that is no image fails every time', async () => {
    const dir = copyFixture('cli-runware')
    const png = (color: string) => sharp({ create: { width: 8, height: 8, channels: 3, background: color } }).png().toBuffer()
    writeFileSync(join(dir, 'ref.png'), await png('#1478c8'))
    edit(configFile(dir), text => text.replace('alt: \'A cabin among tall pines\'', 'alt: \'A cabin among tall pines\', image: \'./ref.png\''))
    expect((await run(dir, ['generate'], served.env)).code).toBe(0)
    const fresh = await run(dir, ['status'], served.env)
    expect(fresh.load).toBe('cached')
    expect(fresh.stdout).toMatch(/fresh\s+hero/)

    writeFileSync(join(dir, 'ref.png'), await png('#c81414'))
    const edited = await run(dir, ['status'], served.env)
    expect(edited.load).toBe('checked')
    expect(edited.stdout).toMatch(/stale\s+hero\s+reference image changed/)

    writeFileSync(join(dir, 'ref.png'), 'not an image')
    for (let i = 0; i < 2; i++) {
      const broken = await run(dir, ['status'], served.env)
      expect(broken.load).toBe('checked')
      expect(broken.code).toBe(2)
      expect(broken.stderr).toMatch(/asset "hero", field "image": reference image .*ref\.png is not a PNG, JPEG or WebP image/)
    }
  })

  it('never serves a config that fails a check, and keeps the last one that passed', async () => {
    const dir = copyFixture('cli-runware')
    expect((await run(dir, ['status'], served.env)).load).toBe('checked')
    const entry = readFileSync(cacheEntry(dir), 'utf8')
    const original = readFileSync(configFile(dir), 'utf8')

    // One the schema refuses, and one only resolving the whole config does (a palette that does not exist).
    const invalid: [string, RegExp][] = [
      [original.replace('size: \'1536x768\'', 'size: \'huge\''), /asset "hero", field "size": "huge" is not accepted/],
      [original.replace('palette: \'brand\'', 'palette: \'brnad\''), /defaults, field "palette": no palette named "brnad" \(did you mean "brand"\?\)/],
    ]
    for (const [text, message] of invalid) {
      writeFileSync(configFile(dir), text)
      for (let i = 0; i < 2; i++) {
        const status = await run(dir, ['status'], served.env)
        expect(status.load).toBe('checked')
        expect(status.code).toBe(2)
        expect(status.stderr).toMatch(message)
      }
      expect(readFileSync(cacheEntry(dir), 'utf8')).toBe(entry)
    }
    writeFileSync(configFile(dir), original)
    expect((await run(dir, ['status'], served.env)).load).toBe('cached')
  })

  it('is not trusted by another version of the package', async () => {
    // A copy of the package (its dist and package.json), using this one's dependencies.
    const pkg = copyFixture('empty')
    cpSync(join(repoRoot, 'dist'), join(pkg, 'dist'), { recursive: true })
    symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'), 'junction')
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    const setVersion = (version: string) => writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, version }))
    setVersion('1.0.0')
    const bin = join(pkg, 'dist', 'cli', 'index.mjs')

    const dir = copyFixture('cli-runware')
    expect((await run(dir, ['status'], served.env, bin)).load).toBe('checked')
    expect((await run(dir, ['status'], served.env, bin)).load).toBe('cached')
    setVersion('1.0.1')
    expect((await run(dir, ['status'], served.env, bin)).load).toBe('checked')
    expect((await run(dir, ['status'], served.env, bin)).load).toBe('cached')
  })

  it('checks a config that is not JSON data on every load: a custom provider, an undefined value', async () => {
    const custom = copyFixture('cli-light')
    for (let i = 0; i < 2; i++) {
      const status = await run(custom, ['status'], { TEST_PROVIDER_KEY: 'k' })
      expect(status.code, status.stderr).toBe(0)
      expect(status.load).toBe('checked')
    }
    expect(existsSync(cacheEntry(custom))).toBe(false)

    // baseURL: process.env.TEST_RUNWARE_URL, unset.
    const unset = copyFixture('cli-runware')
    for (let i = 0; i < 2; i++)
      expect((await run(unset, ['status'], {})).load).toBe('checked')
    expect(existsSync(cacheEntry(unset))).toBe(false)
  })

  it('a served config still generates: its provider is made on its first call', async () => {
    const dir = copyFixture('cli-runware')
    expect((await run(dir, ['generate'], served.env)).code).toBe(0)
    const before = readLock(dir).hero
    served.fake.reset()
    const forced = await run(dir, ['generate', 'hero', '--force'], served.env)
    expect(forced.load).toBe('cached')
    expect(forced.code, forced.stderr).toBe(0)
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(served.fake.apiRequests[0]!.json[0].positivePrompt).toMatch(/A cozy cabin in the woods/)
    expect(readLock(dir).hero.createdAt).not.toBe(before.createdAt)
  })
})

describe('a cache folder that cannot be written', () => {
  it('only costs the check next time', async () => {
    const dir = copyFixture('cli-light')
    edit(configFile(dir), text => text.replace(/provider: \{[\s\S]*?\n {2}\},\n/, 'provider: \'placeholder\',\n'))
    // A file where the cache folder would be.
    mkdirSync(join(dir, 'node_modules', '.cache'), { recursive: true })
    writeFileSync(join(dir, 'node_modules', '.cache', 'ai-assets'), '')
    for (let i = 0; i < 2; i++) {
      const status = await run(dir, ['status'], {})
      expect(status.code, status.stderr).toBe(0)
      expect(status.load).toBe('checked')
      expect(status.stdout).toMatch(/placeholder\s+hero/)
    }
  })
})
