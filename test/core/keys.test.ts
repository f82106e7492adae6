import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, providerLog, readLock } from '../cli/cli'
import { copyFixture, edit } from '../helpers'

// hero-tall differs from hero only in outputs (a 9:16 crop, other widths): the same generation key.
const TALL = `'hero-tall': { prompt: 'A cozy cabin in the woods', size: '768x384', aspect: '9:16', widths: [90] },`

function setup() {
  const dir = copyFixture('cli-basic')
  const log = join(dir, 'provider.log')
  const env = { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log, TEST_PROVIDER_COST: '0.05' }
  return { dir, log, env }
}

describe('a key is paid once', () => {
  it('assets with the same generation inputs share one call and one original, each with its own entry', async () => {
    const { dir, log, env } = setup()
    edit(join(dir, 'assets.config.ts'), text => text.replace(`'logo':`, `${TALL}\n    'logo':`))

    const plan = await cli(dir, ['generate', '--dry-run'], env)
    expect(plan.stdout).toMatch(/generate\s+hero-tall\s+solid solid-1\s+\$0\s+missing: not in the lockfile; same generation inputs as "hero", whose image it reuses \(no new call\)/)
    // hero, logo (3 variants) and icons/bolt: 5 images, not 6.
    expect(plan.stdout).toMatch(/Estimated cost: .* for 5 images/)

    const run = await cli(dir, ['generate'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(providerLog(log).map(call => call.asset).sort()).toEqual(['hero', 'icons/bolt', 'logo'])
    const lock = readLock(dir)
    expect(lock['hero-tall'].file).toBe(lock.hero.file)
    expect(lock['hero-tall'].key).toBe(lock.hero.key)
    // The cost is recorded once, on the asset that paid.
    expect(lock.hero.cost).toBe(0.05)
    expect(lock['hero-tall'].cost).toBeUndefined()
    expect(run.stdout).toMatch(/cost \$0\.25/)

    const status = await cli(dir, ['status', '--json'], env)
    const spend = JSON.parse(status.stdout).spend
    expect(spend).toEqual({ usd: 0.25, providers: { solid: 0.25 }, assets: { 'hero': 0.05, 'logo': 0.15, 'icons/bolt': 0.05 }, generations: 3, unknown: 0 })
  })

  it('an asset whose key is already in the lockfile under another name reuses that original', async () => {
    const { dir, log, env } = setup()
    expect((await cli(dir, ['generate'], env)).code).toBe(0)
    const before = readLock(dir)
    edit(join(dir, 'assets.config.ts'), text => text.replace(`'logo':`, `${TALL}\n    'logo':`))

    const run = await cli(dir, ['generate'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(providerLog(log)).toHaveLength(3)
    const lock = readLock(dir)
    expect(lock['hero-tall'].file).toBe(before.hero.file)
    expect(lock.hero).toEqual(before.hero)

    // It is fresh from now on, and a build emits its 9:16 crop of the same original.
    const status = await cli(dir, ['status', '--check'], env)
    expect(status.code, status.stdout).toBe(0)
    expect(status.stdout).toContain('Recorded spend: $0.25 (solid $0.25) over 3 generations')
  })

  it('--force on both pays once for the shared key', async () => {
    const { dir, log, env } = setup()
    edit(join(dir, 'assets.config.ts'), text => text.replace(`'logo':`, `${TALL}\n    'logo':`))
    expect((await cli(dir, ['generate', 'hero', 'hero-tall'], env)).code).toBe(0)
    expect(providerLog(log)).toHaveLength(1)
    const forced = await cli(dir, ['generate', 'hero', 'hero-tall', '--force'], env)
    expect(forced.code, forced.stderr).toBe(0)
    expect(providerLog(log)).toHaveLength(2)
    const lock = readLock(dir)
    expect(lock['hero-tall'].sha256).toBe(lock.hero.sha256)
  })
})
