import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { acquire, ensureLocksDir } from '../../src/core/store-lock'
import { copyFixture, listFiles, viteBuild } from '../helpers'
import { BIN, cli, providerLog, readLock } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }

/** The dominant color of the largest logo a Vite build emitted. */
async function emittedLogo(dir: string): Promise<{ file: string, rgb: number[] }> {
  const dist = await viteBuild(dir, { dts: false })
  const file = listFiles(dist).filter(f => /^assets\/logo-256\.[0-9a-f]{8}\.png$/.test(f))
  expect(file).toHaveLength(1)
  const { dominant } = await sharp(readFileSync(join(dist, file[0]!))).stats()
  return { file: file[0]!, rgb: [dominant.r, dominant.g, dominant.b] }
}

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 12)

describe('pick', () => {
  it('switches the variant the lockfile points at, and so the file a build emits', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    expect((await cli(dir, ['generate', 'logo'], { ...env, TEST_PROVIDER_LOG: log })).code).toBe(0)
    const before = readLock(dir).logo
    expect(before.variants).toHaveLength(3)
    expect(before.pick).toBe(0)
    expect(before.file).toBe(before.variants[0].file)

    // The provider draws variant i as #2563eb shifted by (80·i, 0, 120·i).
    const first = await emittedLogo(dir)
    expect(near(first.rgb, [0x25, 0x63, 0xEB])).toBe(true)

    const { code, stdout } = await cli(dir, ['pick', 'logo', '3'])
    expect(code).toBe(0)
    expect(stdout).toContain(`Picked variant 3 of 3 for logo: ${before.variants[2].file}`)
    const after = readLock(dir).logo
    expect(after).toMatchObject({ file: before.variants[2].file, sha256: before.variants[2].sha256, pick: 2, key: before.key, variants: before.variants })

    const third = await emittedLogo(dir)
    expect(third.file).not.toBe(first.file)
    expect(near(third.rgb, [(0x25 + 160) % 256, 0x63, (0xEB + 240) % 256])).toBe(true)

    // The asset stays fresh, nothing was generated, and status numbers the variant the same way.
    const status = await cli(dir, ['status', 'logo', '--check'], env)
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('variant 3 of 3')
    expect(providerLog(log)).toHaveLength(1)

    // Back to the first one.
    expect((await cli(dir, ['pick', 'logo', '1'])).code).toBe(0)
    expect(readLock(dir).logo).toMatchObject({ file: before.file, pick: 0 })
    expect((await emittedLogo(dir)).file).toBe(first.file)
  })

  it('exits 2 on a variant out of range or an asset without variants; 1 when not generated', async () => {
    const dir = copyFixture('cli-basic')
    const missing = await cli(dir, ['pick', 'logo', '2'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('"logo" has not been generated yet: run `npx ai-assets generate logo` first.')

    await cli(dir, ['generate', 'logo', 'hero'], env)
    const lock = readLock(dir)
    for (const [args, message] of [
      [['pick', 'logo', '4'], 'pick logo needs a variant number from 1 to 3, not "4"'],
      [['pick', 'logo', '0'], 'pick logo needs a variant number from 1 to 3, not "0"'],
      [['pick', 'logo', 'two'], 'pick logo needs a variant number from 1 to 3, not "two"'],
      [['pick', 'hero', '1'], '"hero" has no variants to pick from: set `variants: 2` (up to 6) on it and run `ai-assets generate hero`'],
      [['pick', 'lgoo', '1'], 'Unknown asset "lgoo" (did you mean "logo"?)'],
      [['pick', 'logo'], 'missing required args for command `pick <name> <n>`'],
    ] as const) {
      const result = await cli(dir, [...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(readLock(dir)).toEqual(lock)
  })

  it('a forced generate recorded while a pick waits for the lockfile wins: the pick refuses and writes nothing', async () => {
    const dir = copyFixture('cli-basic')
    const store = join(dir, 'ai-assets')
    const lockPath = join(store, 'ai-assets.lock.json')
    expect((await cli(dir, ['generate', 'logo'], env)).code).toBe(0)
    const before = readFileSync(lockPath, 'utf8')
    // Another take of the same key (same inputs, other images): what `generate --force` records.
    expect((await cli(dir, ['generate', 'logo', '--force'], { ...env, TEST_PROVIDER_SHIFT: '40' })).code).toBe(0)
    const forced = readFileSync(lockPath, 'utf8')
    expect(JSON.parse(forced).logo.key).toBe(JSON.parse(before).logo.key)
    expect(JSON.parse(forced).logo.sha256).not.toBe(JSON.parse(before).logo.sha256)
    writeFileSync(lockPath, before)

    // The pick reads the first take's entry, then waits for the lockfile's lock, which this test holds…
    const release = await acquire(await ensureLocksDir(store), 'lockfile', { label: 'the lockfile (test)' })
    const child = spawn(process.execPath, [BIN, 'pick', 'logo', '2'], { cwd: dir, env: { ...process.env, CI: '', FORCE_COLOR: '0' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    const exited = new Promise<number | null>(resolve => child.on('close', resolve))
    while (!stderr.includes('waiting for the lock') && child.exitCode === null)
      await new Promise(resolve => setTimeout(resolve, 20))
    // …while the forced generate records its new take.
    writeFileSync(lockPath, forced)
    await release()

    expect(await exited).toBe(1)
    expect(stderr).toContain('The lock entry of "logo" changed while picking')
    expect(stdout).not.toContain('Picked')
    expect(readFileSync(lockPath, 'utf8')).toBe(forced)
  })
})
