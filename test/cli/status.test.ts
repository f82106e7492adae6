import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyFixture, edit } from '../helpers'
import { cli, readLock } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }

describe('status', () => {
  it('says fresh, stale and why (which inputs changed), missing; --check fails until all are fresh', async () => {
    const dir = copyFixture('cli-basic')
    const before = await cli(dir, ['status', '--check'], env)
    expect(before.code).toBe(1)
    expect(before.stdout).toMatch(/^missing\s+hero\s+not in the lockfile$/m)
    expect(before.stderr).toContain('status --check: 3 of 3 assets are not fresh: hero (missing), logo (missing), icons/bolt (missing)')

    expect((await cli(dir, ['generate'], env)).code).toBe(0)
    const fresh = await cli(dir, ['status', '--check'], env)
    expect(fresh.stderr).toBe('')
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toMatch(/^fresh\s+logo\s+logo\.[0-9a-f]{12}\.png · solid solid-1 · 512x512 · variant 1 of 3$/m)
    expect(fresh.stdout).toContain('3 assets: 3 fresh, 0 stale, 0 missing, 0 placeholder')

    // Change generation inputs of two assets, and an output field of the third (not a generation input).
    const config = join(dir, 'assets.config.ts')
    edit(config, text => text
      .replace('A cozy cabin in the woods', 'A cozy cabin by a lake')
      .replace(`size: '768x384'`, `size: '640x320'`)
      .replace(`colors: ['#2563eb']`, `colors: ['#16a34a'], style: 'vector_illustration'`)
      .replace(`widths: [64]`, `widths: [32]`))
    const stale = await cli(dir, ['status', '--check'], env)
    expect(stale.code).toBe(1)
    expect(stale.stdout).toMatch(/^stale\s+hero\s+prompt changed; size 768x384 → 640x320$/m)
    expect(stale.stdout).toMatch(/^stale\s+logo\s+colors #2563eb → #16a34a; style none → "vector_illustration"$/m)
    expect(stale.stdout).toMatch(/^fresh\s+icons\/bolt/m)
    expect(stale.stderr).toContain('2 of 3 assets are not fresh: hero (stale), logo (stale)')

    // Names narrow it down; a fresh subset passes the check.
    expect((await cli(dir, ['status', 'icons/bolt', '--check'], env)).code).toBe(0)

    // A store file that disappeared makes its asset stale too.
    rmSync(join(dir, 'ai-assets', readLock(dir)['icons/bolt'].file))
    const gone = await cli(dir, ['status', 'icons/bolt', '--check'], env)
    expect(gone.code).toBe(1)
    expect(gone.stdout).toMatch(/^stale\s+icons\/bolt\s+store file icons\/bolt\.[0-9a-f]{12}\.png is missing or corrupted$/m)
  })

  it('--json gives every asset with its status and reason', async () => {
    const dir = copyFixture('cli-basic')
    await cli(dir, ['generate', 'hero'], env)
    edit(join(dir, 'assets.config.ts'), text => text.replace(`palette: 'brand'`, `palette: 'brand', background: '#000000'`))
    const { code, stdout } = await cli(dir, ['status', '--json'])
    expect(code).toBe(0)
    const status = JSON.parse(stdout)
    expect(status.assets.map((a: any) => [a.name, a.status, a.reason])).toEqual([
      ['hero', 'stale', 'background #f5f5f5 → #000000'],
      ['logo', 'missing', 'not in the lockfile'],
      ['icons/bolt', 'missing', 'not in the lockfile'],
    ])
    // Without the key, a build would draw placeholders: status says so.
    expect(status.assets[1].note).toBe('TEST_PROVIDER_KEY is not set: an offline placeholder is drawn (never stored)')
  })

  it('shows the spend the lock entries record: in total, per provider and per asset', async () => {
    const dir = copyFixture('cli-basic')
    await cli(dir, ['generate'], { ...env, TEST_PROVIDER_COST: '0.04' })
    // A stale entry was paid for too.
    edit(join(dir, 'assets.config.ts'), text => text.replace('A cozy cabin in the woods', 'A cabin'))
    const text = await cli(dir, ['status'], env)
    expect(text.stdout).toMatch(/^fresh\s+logo\s+(?:\S.*)? · \$0\.12 · variant 1 of 3$/m)
    expect(text.stdout).toMatch(/^stale\s+hero\s+prompt changed · \$0\.04 recorded$/m)
    expect(text.stdout).toContain('Recorded spend: $0.20 (solid $0.20) over 3 generations')

    const { spend } = JSON.parse((await cli(dir, ['status', '--json'], env)).stdout)
    expect(spend).toEqual({ usd: 0.2, providers: { solid: 0.2 }, assets: { 'hero': 0.04, 'logo': 0.12, 'icons/bolt': 0.04 }, generations: 3, unknown: 0 })
  })

  it('an entry written before inputs were recorded still reports stale', async () => {
    const dir = copyFixture('cli-basic')
    await cli(dir, ['generate', 'hero'], env)
    const lock = readLock(dir)
    delete lock.hero.inputs
    writeFileSync(join(dir, 'ai-assets', 'ai-assets.lock.json'), JSON.stringify(lock))
    edit(join(dir, 'assets.config.ts'), text => text.replace('A cozy cabin in the woods', 'A cabin'))
    const { stdout } = await cli(dir, ['status', 'hero'], env)
    expect(stdout).toMatch(/^stale\s+hero\s+its generation inputs changed \(this lock entry does not record which\)$/m)
  })

  it('with the placeholder provider every asset is a placeholder, which --check does not accept', async () => {
    const dir = copyFixture('cli-basic')
    edit(join(dir, 'assets.config.ts'), text => text.replace(/provider: \{[\s\S]*?\n {2}\},\n/, `provider: 'placeholder',\n`))
    const { code, stdout } = await cli(dir, ['status', '--check'])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^placeholder\s+hero\s+the provider is "placeholder"/m)
    expect(stdout).toContain('3 assets: 0 fresh, 0 stale, 0 missing, 3 placeholder')
  })
})
