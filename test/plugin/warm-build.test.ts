/**
 * Warm builds read no original: each `vite build` here is a new process, as
 * users and CI run it, with a preload that logs every store file read and
 * every sharp pipeline from the plugin's diagnostics channels. Then the
 * checks that speed must not cost: an original edited in place (its size and
 * mtime put back) fails a warm build, and a fresh checkout (no index) hashes
 * every original it uses. Last, the CI recipe of the README: a derivative
 * cache carried into another checkout is read as it is.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHARP_CHANNEL } from '../../src/common/sharp'
import { RACY_MS } from '../../src/core/stat-fingerprint'
import { STORE_READ_CHANNEL } from '../../src/core/store'
import { cli, readLock } from '../cli/cli'
import { copyFixture, edit, listFiles, repoRoot } from '../helpers'

const env = { TEST_PROVIDER_KEY: 'k' }
const VITE = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js')

interface Run {
  code: number | null
  output: string
  /** Store files read, relative to the store. */
  reads: string[]
  sharp: number
  /** Packages of HEAVY that were loaded. */
  loaded: string[]
}

/** Packages only image work, generation or writes need: a warm build must not load them. */
const HEAVY = ['sharp', 'jsdom', 'svgo', 'dompurify', 'write-file-atomic', 'proper-lockfile', 'p-retry']

/** Logs every module of HEAVY that is loaded, from Node's resolve hook (it runs in its own thread). */
const HOOK = `import { appendFileSync } from 'node:fs'
const heavy = new RegExp('/node_modules/(' + ${JSON.stringify(HEAVY.join('|'))} + ')/')
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  const found = heavy.exec(resolved.url)
  if (found)
    appendFileSync(process.env.AI_ASSETS_TEST_LOG, 'loaded ' + found[1] + '\\n')
  return resolved
}
`

/** Preloaded into every child: logs what the plugin's diagnostics channels announce, and registers HOOK. */
const PRELOAD = `import { subscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import { register } from 'node:module'
register(new URL('./hook.mjs', import.meta.url))
subscribe(${JSON.stringify(STORE_READ_CHANNEL)}, ({ path }) => appendFileSync(process.env.AI_ASSETS_TEST_LOG, 'read ' + path + '\\n'))
subscribe(${JSON.stringify(SHARP_CHANNEL)}, () => appendFileSync(process.env.AI_ASSETS_TEST_LOG, 'sharp\\n'))
`

function logOf(dir: string, run: () => Promise<{ code: number | null, output: string }>): Promise<Run> {
  const log = join(dir, 'channels.log')
  rmSync(log, { force: true })
  return run().then(({ code, output }) => {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
    const store = join(dir, 'ai-assets')
    return {
      code,
      output,
      reads: lines.filter(line => line.startsWith('read ')).map(line => line.slice('read '.length).slice(store.length + 1)).sort(),
      sharp: lines.filter(line => line === 'sharp').length,
      loaded: [...new Set(lines.filter(line => line.startsWith('loaded ')).map(line => line.slice('loaded '.length)))].sort(),
    }
  })
}

const childEnv = (dir: string) => ({ CI: undefined, NODE_OPTIONS: `--import=${join(dir, 'preload.mjs')}`, AI_ASSETS_TEST_LOG: join(dir, 'channels.log') })

/** A frozen `vite build` in a new process. */
function viteBuild(dir: string): Promise<Run> {
  return logOf(dir, () => new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...childEnv(dir) }
    delete env.CI
    const child = spawn(process.execPath, [VITE, 'build', '--logLevel', 'error'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    child.stderr.on('data', (chunk) => { output += chunk })
    child.on('error', reject)
    child.on('close', code => resolve({ code, output }))
  }))
}

function status(dir: string, args: string[]): Promise<Run> {
  return logOf(dir, async () => {
    const { code, stdout, stderr } = await cli(dir, ['status', ...args], childEnv(dir))
    return { code, output: stdout + stderr }
  })
}

describe('a warm build', () => {
  let dir = ''
  let files: Record<string, string> = {}
  beforeAll(async () => {
    dir = copyFixture('cli-basic')
    expect((await cli(dir, ['generate'], env)).code).toBe(0)
    const lock = readLock(dir)
    files = { hero: lock.hero.file, logo: lock.logo.file, bolt: lock['icons/bolt'].file }
    // Whole seconds, so that a test can put an mtime back exactly (utimes takes no nanoseconds).
    const minuteAgo = Math.floor(Date.now() / 1000) - 60
    for (const file of Object.values(files))
      utimesSync(join(dir, 'ai-assets', file), minuteAgo, minuteAgo)
    // The fixture's provider draws with sharp: a frozen build never calls it, so the config need not load sharp.
    edit(join(dir, 'assets.config.ts'), text => text.replace(`import sharp from 'sharp'\n`, ''))
    writeFileSync(join(dir, 'preload.mjs'), PRELOAD)
    writeFileSync(join(dir, 'hook.mjs'), HOOK)
    writeFileSync(join(dir, 'vite.config.mjs'), `import AiAssets from 'unplugin-ai-assets/vite'\nexport default { plugins: [AiAssets({ frozen: true, dts: false })] }\n`)
    writeFileSync(join(dir, 'src/main.js'), `import hero from '~ai-assets/hero'\nimport logo from '~ai-assets/logo'\nimport bolt from '~ai-assets/icons/bolt'\ndocument.querySelector('#app').textContent = JSON.stringify([hero, logo, bolt])\n`)
    // Files younger than the racy window are hashed but never recorded (verified-index.ts): let them age.
    await new Promise(resolve => setTimeout(resolve, RACY_MS + 200))
  }, 60_000 + RACY_MS)

  it('in a new process reads no original, opens no sharp pipeline and loads no module it does not need; an original edited in place still fails it', async () => {
    const first = await viteBuild(dir)
    expect(first.code, first.output).toBe(0)
    // Cold: every imported original is hashed (and read again to derive from it).
    expect([...new Set(first.reads)]).toEqual(Object.values(files).sort())
    expect(first.sharp).toBeGreaterThan(0)
    expect(first.loaded).toContain('sharp')
    const emitted = listFiles(join(dir, 'dist'))

    const warm = await viteBuild(dir)
    expect(warm.code, warm.output).toBe(0)
    expect(warm.reads).toEqual([])
    expect(warm.sharp).toBe(0)
    // Nothing a warm build does not need is even loaded.
    expect(warm.loaded).toEqual([])
    expect(listFiles(join(dir, 'dist'))).toEqual(emitted)

    // Plain `status` stats; `status --check` hashes every original whatever the index says.
    const plain = await status(dir, [])
    expect(plain.code, plain.output).toBe(0)
    expect(plain.reads).toEqual([])
    const check = await status(dir, ['--check'])
    expect(check.code, check.output).toBe(0)
    expect(check.reads).toEqual(Object.values(files).sort())

    // Damaged in place: same size, mtime put back. The ctime moved, so the warm build hashes it and fails.
    const path = join(dir, 'ai-assets', files.hero!)
    const bytes = readFileSync(path)
    const before = statSync(path, { bigint: true })
    const damaged = Buffer.from(bytes)
    damaged[damaged.length >> 1] = damaged[damaged.length >> 1]! ^ 0xFF
    writeFileSync(path, damaged)
    utimesSync(path, Number(before.atimeNs / 1_000_000_000n), Number(before.mtimeNs / 1_000_000_000n))
    expect(statSync(path, { bigint: true }).mtimeNs).toBe(before.mtimeNs)
    const broken = await viteBuild(dir)
    expect(broken.code).not.toBe(0)
    expect(broken.output).toContain(`hero: stale (store file ${files.hero} is missing or corrupted)`)
    expect(broken.reads).toEqual([files.hero])
    const checked = await status(dir, ['--check'])
    expect(checked.code).toBe(1)
    expect(checked.output).toMatch(/^stale\s+hero\s+store file \S+ is missing or corrupted\b/m)

    // A fresh checkout has no index: every original it uses is hashed (the derivative cache kept here, so no sharp).
    writeFileSync(path, bytes)
    rmSync(join(dir, 'node_modules', '.cache', 'ai-assets', 'verified'), { recursive: true })
    const fresh = await viteBuild(dir)
    expect(fresh.code, fresh.output).toBe(0)
    // (hero, just rewritten, is younger than the racy window: hashed by each check of this build, never trusted.)
    expect([...new Set(fresh.reads)]).toEqual(Object.values(files).sort())
    expect(fresh.sharp).toBe(0)
  })

  // README "In CI": the derivative cache is carried from run to run into a new checkout.
  it('reads a derivative cache carried into another checkout (another path, new inodes and times) as it is, after `status --check` has verified the originals for it, and `prune` there keeps it', async () => {
    const made = await viteBuild(dir)
    expect(made.code, made.output).toBe(0)
    const emitted = listFiles(join(dir, 'dist'))
    const other = `${dir}-checkout`
    cpSync(dir, other, { recursive: true, filter: path => !['node_modules', 'dist'].includes(relative(dir, path).split(sep)[0]!) })
    const derivatives = join('node_modules', '.cache', 'ai-assets', 'derivatives')
    cpSync(join(dir, derivatives), join(other, derivatives), { recursive: true })
    expect(existsSync(join(other, 'node_modules', '.cache', 'ai-assets', 'verified'))).toBe(false)

    // As in CI, `status --check` runs first, on a checkout older than the racy window (npm ci takes longer):
    // it hashes every original and records them in the verified index, so that the build hashes none again.
    await new Promise(resolve => setTimeout(resolve, RACY_MS + 200))
    const checked = await status(other, ['--check'])
    expect(checked.code, checked.output).toBe(0)
    expect(checked.reads).toEqual(Object.values(files).sort())
    const restored = await viteBuild(other)
    expect(restored.code, restored.output).toBe(0)
    // Nothing is derived again: no sharp pipeline, and the same files.
    expect(restored.sharp).toBe(0)
    expect(restored.reads).toEqual([])
    expect(listFiles(join(other, 'dist'))).toEqual(emitted)

    const pruned = await cli(other, ['prune'], { CI: 'true' })
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0)
    rmSync(join(other, 'dist'), { recursive: true })
    const after = await viteBuild(other)
    expect(after.code, after.output).toBe(0)
    expect(after.sharp).toBe(0)
    expect(listFiles(join(other, 'dist'))).toEqual(emitted)
  })
})
