/**
 * A lockfile comes with pull requests: an entry naming a file outside the
 * store (`../outside.png`, an absolute path, a symlink out of the store) is
 * refused before anything is read or emitted, in frozen and unfrozen runs,
 * naming the lockfile, the asset and the field. And an original that does
 * not decode fails the build naming the asset, the file and the fix.
 */
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { cli, providerLog, readLock } from '../cli/cli'
import { copyFixture, listFiles, viteBuild } from '../helpers'

const LOCKFILE = 'ai-assets/ai-assets.lock.json'

async function generated() {
  const dir = copyFixture('cli-basic')
  const log = join(dir, 'provider.log')
  const env = { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log }
  expect((await cli(dir, ['generate'], env)).code).toBe(0)
  expect(providerLog(log)).toHaveLength(3)
  return { dir, log, env, store: join(dir, 'ai-assets') }
}

function tamper(dir: string, change: (lock: Record<string, any>) => void): void {
  const lock = readLock(dir)
  change(lock)
  writeFileSync(join(dir, LOCKFILE), `${JSON.stringify(lock, null, 2)}\n`)
}

/** The secret a tampered entry tries to reach: same bytes as the real original, so its sha256 matches. */
function outside(dir: string, store: string, file: string): { path: string, sha256: string } {
  const path = join(dir, 'outside.png')
  copyFileSync(join(store, file), path)
  return { path, sha256: sha256(readFileSync(path)) }
}

describe('a tampered lockfile', () => {
  const cases: [string, string, (dir: string, store: string, lock: Record<string, any>) => void][] = [
    ['a relative path out of the store', 'file', (dir, store, lock) => {
      lock.logo.file = '../outside.png'
    }],
    ['an absolute path', 'file', (dir, store, lock) => {
      lock.logo.file = join(dir, 'outside.png')
    }],
    ['a symlink out of the store', 'file', (dir, store, lock) => {
      symlinkSync('../outside.png', join(store, 'logo.0123456789ab.png'))
      lock.logo.file = 'logo.0123456789ab.png'
    }],
    ['a variant out of the store', 'variants[1].file', (dir, store, lock) => {
      lock.logo.variants[1].file = '../outside.png'
    }],
  ]

  for (const [what, field, change] of cases) {
    it(`is refused, naming the lockfile, the asset and the field: ${what}`, async () => {
      const { dir, log, env, store } = await generated()
      const secret = outside(dir, store, readLock(dir).logo.file)
      tamper(dir, (lock) => {
        change(dir, store, lock)
        lock.logo.sha256 = secret.sha256
        lock.logo.variants[1].sha256 = secret.sha256
      })
      const message = new RegExp(`${LOCKFILE.replace(/\./g, '\\.')}: asset "logo", field "${field.replace(/[[\]]/g, '\\$&')}": .* Nothing was read or emitted`)

      for (const args of [['generate'], ['generate', '--frozen'], ['status'], ['build', '--out', 'public/img']]) {
        const run = await cli(dir, args, env)
        expect(run.code, `${args.join(' ')}: ${run.stdout}`).toBe(1)
        expect(run.stderr, args.join(' ')).toMatch(message)
        // One message, not a stack trace.
        expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
      }
      expect(providerLog(log)).toHaveLength(3)
      expect(existsSync(join(dir, 'public', 'img'))).toBe(false)

      // A frozen vite build fails the same way, and emits nothing.
      await expect(viteBuild(dir, { frozen: true })).rejects.toThrow(message)
      const dist = join(dir, 'dist')
      expect(existsSync(dist) ? listFiles(dist).filter(file => file.endsWith('.png')) : []).toEqual([])
    })
  }
})

describe('a broken original', () => {
  it('fails the build naming the asset, the store file and the command that fixes it', async () => {
    const { dir, env, store } = await generated()
    const entry = readLock(dir).logo
    // Still an image by its header (so sha256 and metadata pass), but its pixels do not decode.
    const bytes = readFileSync(join(store, entry.file))
    const broken = bytes.subarray(0, Math.floor(bytes.length * 0.6))
    writeFileSync(join(store, entry.file), broken)
    tamper(dir, (lock) => {
      lock.logo.sha256 = sha256(broken)
      lock.logo.variants[0].sha256 = sha256(broken)
    })
    // libvips's reason (`vipspng: libpng read error`) is process-wide state, so another failing operation may word it differently.
    const message = (path: string) => new RegExp(`asset "logo": the store file ${path}ai-assets/${entry.file.replace(/\./g, '\\.')} does not decode \\(.+\\)\\. Run \`npx ai-assets generate logo --force\` to generate it again, or restore it from git\\.`)

    const build = await cli(dir, ['build', '--out', 'public/img', '--frozen'], env)
    expect(build.code).toBe(1)
    expect(build.stderr).toMatch(message(''))

    // The plugin says the same (the path is relative to the working folder).
    await expect(viteBuild(dir, { frozen: true })).rejects.toThrow(message('\\S*'))
  })
})
