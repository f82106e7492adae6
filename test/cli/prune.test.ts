import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHARP_VERSION } from '../../src/common/sharp'
import { createDerivativeCache, listCacheFiles } from '../../src/derive/cache'
import { copyFixture, edit, listFiles } from '../helpers'
import { cli, readLock } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }

function referenced(dir: string): string[] {
  return Object.values(readLock(dir)).flatMap((entry: any) => [entry.file, ...(entry.variants ?? []).map((v: any) => v.file)])
}

describe('prune', () => {
  it('removes what the lockfile no longer references, keeps everything it does', async () => {
    const dir = copyFixture('cli-basic')
    const store = join(dir, 'ai-assets')
    expect((await cli(dir, ['generate'], env)).code).toBe(0)
    const first = readLock(dir)

    // Regenerating hero and icons/bolt leaves their old originals behind.
    edit(join(dir, 'assets.config.ts'), text => text.replace('#ff6b35', '#10b981'))
    expect((await cli(dir, ['generate', 'hero', 'icons/bolt'], env)).code).toBe(0)
    const old = [first.hero.file, first['icons/bolt'].file]
    // A killed run's temp files, and files prune did not write.
    writeFileSync(join(store, `${readLock(dir).hero.file}.3735928559`), 'partial')
    writeFileSync(join(store, 'ai-assets.lock.json.12345'), '{')
    writeFileSync(join(store, '.gitattributes'), '*.png binary\n')
    writeFileSync(join(store, 'README.md'), 'Generated images: do not edit.\n')
    mkdirSync(join(store, 'old'))
    writeFileSync(join(store, 'old', 'gone.0123456789ab.png'), 'x')
    const doomed = [...old, `${readLock(dir).hero.file}.3735928559`, 'ai-assets.lock.json.12345', 'old/gone.0123456789ab.png'].sort()

    const dry = await cli(dir, ['prune', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout.trim().split('\n').filter(line => line.startsWith('would remove')).map(line => line.replace(/^would remove\s+ai-assets\//, '')).sort()).toEqual(doomed)
    expect(dry.stdout).toMatch(/Would remove 5 files \(.*\) from ai-assets\/; kept \d+\./)
    for (const file of doomed)
      expect(existsSync(join(store, file))).toBe(true)

    const { code, stdout } = await cli(dir, ['prune'])
    expect(code).toBe(0)
    expect(stdout).toContain('Removed 5 files')
    for (const file of doomed)
      expect(existsSync(join(store, file)), file).toBe(false)
    expect(existsSync(join(store, 'old'))).toBe(false)
    // Every referenced file, every variant of logo included, is still there.
    const kept = referenced(dir)
    expect(kept).toHaveLength(1 + 3 + 1 + 1) // hero, logo's chosen + 3 variants (the chosen is one of them), icons/bolt
    expect(listFiles(store).filter(file => !file.startsWith('.locks')).sort()).toEqual([...new Set([...kept, 'ai-assets.lock.json', '.gitattributes', 'README.md'])].sort())
    const status = await cli(dir, ['status', '--check'], env)
    expect(status.code).toBe(0)

    const again = await cli(dir, ['prune'])
    expect(again.stdout).toContain('Nothing to prune in ai-assets/')
  })

  it('empties the derivative cache of what no build can read any more, and a build after it makes nothing anew', async () => {
    const dir = copyFixture('cli-basic')
    const cacheDir = join(dir, 'node_modules/.cache/ai-assets/derivatives')
    expect((await cli(dir, ['build', '--out', 'out'], env)).code).toBe(0)
    const first = readLock(dir)
    // Regenerating hero and icons/bolt: what was made from their old originals is never read again.
    edit(join(dir, 'assets.config.ts'), text => text.replace('#ff6b35', '#10b981'))
    expect((await cli(dir, ['build', '--out', 'out'], env)).code).toBe(0)
    const old = [first.hero.sha256, first['icons/bolt'].sha256]
    expect(old).not.toContain(readLock(dir).hero.sha256)
    const fromOld = listCacheFiles(cacheDir).filter(file => old.some(sha256 => file.key!.includes(sha256))).map(file => file.path)
    expect(fromOld.length).toBeGreaterThan(4)

    // An older layout of the preview, another sharp, an asset the config no longer has, a killed write, a damaged entry.
    const cache = createDerivativeCache(cacheDir)
    const hero = readLock(dir).hero.sha256
    await cache.put(`preview:v3:${hero}:${SHARP_VERSION}`, Buffer.from('{}'), null)
    await cache.put(`derivative:v2:${hero}:{"format":"webp","width":8}:0.0.1`, Buffer.from('x'), { width: 8, height: 8 })
    await cache.put(`placeholder:gone:0123:${SHARP_VERSION}`, Buffer.from('x'), { sha256: hero })
    writeFileSync(join(cacheDir, `${fromOld[0]}.3735928559`), 'partial')
    mkdirSync(join(cacheDir, 'ab'), { recursive: true })
    writeFileSync(join(cacheDir, 'ab', 'c'.repeat(62)), 'not an entry')
    const dead = listCacheFiles(cacheDir).filter(file => !file.key || fromOld.includes(file.path) || /^(?:preview:v3|placeholder:gone)|:0\.0\.1$/.test(file.key)).map(file => file.path).sort()
    expect(dead).toHaveLength(fromOld.length + 5)
    const live = listCacheFiles(cacheDir).map(file => file.path).filter(path => !dead.includes(path)).sort()

    const dry = await cli(dir, ['prune', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`Would remove ${dead.length} cache entries`)
    expect(listCacheFiles(cacheDir)).toHaveLength(dead.length + live.length)

    const { code, stdout } = await cli(dir, ['prune'])
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`Removed ${dead.length} cache entries \\(.*\\) that no build can use from node_modules/\\.cache/ai-assets/derivatives/; kept ${live.length}\\.`))
    expect(listCacheFiles(cacheDir).map(file => file.path).sort()).toEqual(live)
    expect(existsSync(join(cacheDir, 'ab'))).toBe(false)

    // Everything the build reads was kept: it makes no entry anew.
    expect((await cli(dir, ['build', '--out', 'out'], env)).code).toBe(0)
    expect(listCacheFiles(cacheDir).map(file => file.path).sort()).toEqual(live)
    expect((await cli(dir, ['prune'])).stdout).toContain(`Nothing to prune in node_modules/.cache/ai-assets/derivatives/ (${live.length} cache entries kept).`)
  })

  it('refuses while a live process holds a lock, so that it never deletes a file about to be referenced; ignores a dead one\'s', async () => {
    const dir = copyFixture('cli-basic')
    await cli(dir, ['generate', 'hero'], env)
    const pending = join(dir, 'ai-assets', 'logo.0123456789ab.png')
    writeFileSync(pending, 'being written by another run')
    const lock = join(dir, 'ai-assets', '.locks', 'f00d.lock')
    mkdirSync(lock, { recursive: true })
    // This test process plays the generating one.
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), token: 't' }))
    const { code, stderr } = await cli(dir, ['prune'])
    expect(code).toBe(1)
    expect(stderr).toContain(`A generation is running (pid ${process.pid} on host ${hostname()}, 1 lock in ai-assets/.locks)`)
    expect(existsSync(pending)).toBe(true)

    // The same lock left by a process that is gone: prune goes ahead.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), started: new Date().toISOString(), token: 't' }))
    const after = await cli(dir, ['prune'])
    expect(after.code, after.stderr).toBe(0)
    expect(existsSync(pending)).toBe(false)
  })
})
