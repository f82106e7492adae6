import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { RUNWARE_COST } from '../fakes/runware'
import { copyFixture, edit, listFiles } from '../helpers'
import { BIN, cli, providerLog, readLock, useRunwareFake } from './cli'

const KEY = 'rw-key-SECRET-cli-77a1'

describe('generate against the Runware fake', () => {
  const served = useRunwareFake(KEY)

  it('a dry run prints the plan with the estimated cost and makes no request', async () => {
    const dir = copyFixture('cli-runware')
    const { code, stdout, stderr } = await cli(dir, ['generate', '--dry-run'], served.env)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(served.fake.requests).toEqual([])
    expect(existsSync(join(dir, 'ai-assets'))).toBe(false)
    // Each asset: action, name, provider and model, estimate, why.
    expect(stdout).toMatch(/generate\s+hero\s+runware recraft:v4\.1@0\s+~\$0\.04\s+missing: not in the lockfile/)
    expect(stdout).toMatch(/generate\s+icons\/bolt\s+runware recraft:v4\.1@0\s+~\$0\.04/)
    expect(stdout).toMatch(/Estimated cost: ~\$0\.12 for 3 images \(3 to generate, 0 placeholders, 0 fresh\)/)
  })

  it('generates what is missing, records the reported cost, then has nothing to do', async () => {
    const dir = copyFixture('cli-runware')
    const first = await cli(dir, ['generate'], served.env)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(served.fake.apiRequests).toHaveLength(3)
    const lock = readLock(dir)
    expect(Object.keys(lock)).toEqual(['hero', 'icons/bolt', 'logo'])
    for (const entry of Object.values(lock)) {
      expect(entry.cost).toBe(RUNWARE_COST['recraft:v4.1@0'])
      expect(entry.provider).toBe('runware')
      expect(existsSync(join(dir, 'ai-assets', entry.file))).toBe(true)
    }
    expect(first.stdout).toMatch(/^generated\s+hero\s+\$0\.0384/m)
    expect(first.stdout).toContain('Summary: 3 generated, 0 cached, 0 placeholders, 0 failed, cost $0.1152')
    // Credentials never reach the output or the lockfile.
    expect(first.stdout + first.stderr + JSON.stringify(lock)).not.toContain(KEY)

    served.fake.reset()
    const second = await cli(dir, ['generate'], served.env)
    expect(second.code).toBe(0)
    expect(served.fake.requests).toEqual([])
    expect(second.stdout).toContain('Summary: 0 generated, 3 cached, 0 placeholders, 0 failed, cost $0')

    // A dry run now says there is nothing to pay for.
    const plan = await cli(dir, ['generate', '--dry-run'], served.env)
    expect(plan.stdout).toMatch(/fresh\s+hero\s+runware recraft:v4\.1@0\s+-\s+fresh in the store/)
    expect(plan.stdout).toContain('Estimated cost: $0 for 0 images (0 to generate, 0 placeholders, 3 fresh)')
  })

  it('--force regenerates only the names given; a dry run says why', async () => {
    const dir = copyFixture('cli-runware')
    await cli(dir, ['generate'], served.env)
    const before = readLock(dir)
    served.fake.reset()
    const plan = await cli(dir, ['generate', 'logo', '--force', '--dry-run'], served.env)
    expect(plan.stdout).toMatch(/generate\s+logo\s+runware recraft:v4\.1@0\s+~\$0\.04\s+forced \(--force\)/)
    expect(plan.stdout).not.toContain('hero')
    expect(served.fake.requests).toEqual([])

    const { code, stdout } = await cli(dir, ['generate', 'logo', '--force'], served.env)
    expect(code).toBe(0)
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(served.fake.apiRequests[0]!.json[0].positivePrompt).toBe('A minimalist logo of a mountain range')
    expect(stdout).toContain('Summary: 1 generated, 0 cached')
    const after = readLock(dir)
    expect(after.hero).toEqual(before.hero)
    expect(after.logo.createdAt).not.toBe(before.logo.createdAt)
  })

  it('--max-cost refuses a run whose estimate exceeds it, before any request', async () => {
    const dir = copyFixture('cli-runware')
    const { code, stdout, stderr } = await cli(dir, ['generate', '--max-cost', '0.10'], served.env)
    expect(code).toBe(1)
    expect(stderr).toContain('Refusing to start: the estimated cost $0.12 exceeds --max-cost of $0.10')
    expect(stdout).toBe('')
    expect(served.fake.requests).toEqual([])
    expect(readLock(dir)).toEqual({})

    // Within the cap, the same run goes ahead.
    const within = await cli(dir, ['generate', 'hero', 'logo', '--max-cost', '0.10'], served.env)
    expect(within.code).toBe(0)
    expect(served.fake.apiRequests).toHaveLength(2)
  })

  it('the config\'s budget caps a run; --max-cost overrides it', async () => {
    const dir = copyFixture('cli-runware')
    edit(join(dir, 'assets.config.ts'), text => text.replace(`provider: {`, `budget: 0.05,\n  provider: {`))
    const refused = await cli(dir, ['generate'], served.env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('exceeds the config\'s budget of $0.05')
    expect(served.fake.requests).toEqual([])

    const plan = await cli(dir, ['generate', '--dry-run'], served.env)
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('Cap: $0.05 (config budget): the estimate exceeds it, so a real run would be refused')

    const overridden = await cli(dir, ['generate', '--max-cost', '1'], served.env)
    expect(overridden.code).toBe(0)
    expect(served.fake.apiRequests).toHaveLength(3)
  })

  it('--frozen never calls the provider and lists what is not fresh', async () => {
    const dir = copyFixture('cli-runware')
    const { code, stderr } = await cli(dir, ['generate', '--frozen'], served.env)
    expect(code).toBe(1)
    expect(stderr).toContain('3 assets are not fresh')
    expect(stderr).toContain('- hero: missing (not in the lockfile)')
    expect(stderr).toContain('npx ai-assets generate hero logo icons/bolt')
    expect(served.fake.requests).toEqual([])

    // CI=true freezes too.
    const ci = await cli(dir, ['generate'], { ...served.env, CI: 'true' })
    expect(ci.code).toBe(1)
    expect(served.fake.requests).toEqual([])
  })

  it('without credentials every asset is an offline placeholder: nothing stored, nothing paid', async () => {
    const dir = copyFixture('cli-runware')
    const { code, stdout, stderr } = await cli(dir, ['generate'], { TEST_RUNWARE_URL: served.env.TEST_RUNWARE_URL, RUNWARE_API_KEY: undefined })
    expect(code).toBe(0)
    expect(stderr).toContain('RUNWARE_API_KEY is not set')
    expect(stdout).toContain('Summary: 0 generated, 0 cached, 3 placeholders, 0 failed, cost $0')
    expect(served.fake.requests).toEqual([])
    expect(readLock(dir)).toEqual({})
  })

  it('a provider failure is reported per asset and exits 1; the others are stored', async () => {
    const dir = copyFixture('cli-runware')
    served.fake.fail({ kind: 'status', status: 400, message: 'Invalid value for positivePrompt' })
    const { code, stdout, stderr } = await cli(dir, ['generate', '--concurrency', '1'], served.env)
    expect(code).toBe(1)
    // Errors go to stderr, results to stdout.
    expect(stderr).toMatch(/^FAILED\s+hero\s+(?:\S.*)?Invalid value for positivePrompt/m)
    expect(stdout).not.toContain('FAILED')
    expect(stdout).toContain('Summary: 2 generated, 0 cached, 0 placeholders, 1 failed')
    expect(stderr).toContain('1 asset failed')
    expect(Object.keys(readLock(dir))).toEqual(['icons/bolt', 'logo'])
  })
})

describe('generate: budget mid-run, with a provider that has no price', () => {
  it('stops before the next generation could exceed --max-cost', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    // Each image costs $0.05: hero ($0.05), then logo (3 variants, $0.15) would pass $0.12.
    const { code, stdout, stderr } = await cli(dir, ['generate', '--max-cost', '0.12'], { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log, TEST_PROVIDER_COST: '0.05' })
    expect(code).toBe(1)
    expect(providerLog(log)).toEqual([{ asset: 'hero', variants: 1 }])
    expect(Object.keys(readLock(dir))).toEqual(['hero'])
    expect(stdout).toMatch(/skipped\s+logo\s+— not started: it could take the run past --max-cost of \$0\.12 \(spent so far: \$0\.05\)/)
    expect(stdout).toContain('Summary: 1 generated, 0 cached, 0 placeholders, 0 failed, 2 skipped, cost $0.05')
    expect(stderr).toContain('Stopped before exceeding --max-cost of $0.12: 2 assets were not generated')

    // With room for them, the rest follows; what was generated is not paid twice.
    const rest = await cli(dir, ['generate', '--max-cost', '1'], { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log, TEST_PROVIDER_COST: '0.05' })
    expect(rest.code).toBe(0)
    expect(providerLog(log).map(call => call.asset).sort()).toEqual(['hero', 'icons/bolt', 'logo'])
  })
})

describe('generate: Ctrl-C', () => {
  it('stops starting work, leaves nothing partial, and a rerun generates the rest', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const childEnv = { ...process.env, CI: '', TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log, TEST_PROVIDER_DELAY: '2000' }
    const child = spawn(process.execPath, [BIN, 'generate', '--concurrency', '1'], { cwd: dir, env: childEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    // Interrupt once the first request is in flight.
    while (providerLog(log).length === 0)
      await new Promise(resolve => setTimeout(resolve, 20))
    child.kill('SIGINT')
    const code = await new Promise(resolve => child.on('close', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain('Interrupted: nothing partial was written')
    // The one in flight may have been billed, and says so; the ones waiting were never sent.
    const [first] = providerLog(log)
    expect(stdout).toMatch(new RegExp(`skipped\\s+${first!.asset}\\s+[\\d.]+s\\s+— interrupted while its request was in flight: the call may have been billed`))
    expect(stderr).toContain(`The request of "${first!.asset}" was in flight and may have been billed; its image was not kept. Check the spend on your provider's dashboard: running again pays again.`)
    expect(stdout).toMatch(/skipped\s+logo\s+— interrupted\n/)
    expect(stdout).toMatch(/Summary: 0 generated, 0 cached, 0 placeholders, 0 failed, 3 skipped/)
    expect(providerLog(log)).toHaveLength(1)
    expect(readLock(dir)).toEqual({})
    // Nothing but the git-ignored locks folder (its journal of the interrupted calls removed: this run saw them end).
    expect(existsSync(join(dir, 'ai-assets')) ? listFiles(join(dir, 'ai-assets')) : []).toEqual(['.locks/.gitignore'])

    const rerun = await cli(dir, ['generate'], { TEST_PROVIDER_KEY: 'k' })
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain('Summary: 3 generated')
  })
})

describe('generate: command line errors', () => {
  it('exits 2 with one line for usage and config errors', async () => {
    const dir = copyFixture('cli-basic')
    const unknown = await cli(dir, ['generate', 'hreo'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1)
    expect(unknown.stderr).toContain('Unknown asset "hreo" (did you mean "hero"?)')

    const concurrency = await cli(dir, ['generate', '--concurrency', 'lots'])
    expect(concurrency.code).toBe(2)
    expect(concurrency.stderr.trim()).toBe('ai-assets: --concurrency needs a whole number of 1 or more, not "lots"')

    const option = await cli(dir, ['generate', '--maxcost', '1'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('Unknown option `--maxcost`')

    const command = await cli(dir, ['generat'])
    expect(command.code).toBe(2)
    expect(command.stderr).toContain('Unknown command "generat" (did you mean "generate"?)')

    edit(join(dir, 'assets.config.ts'), text => text.replace(`size: '256x256'`, `size: '256by256'`).replace(`variants: 3`, `variants: 9`))
    const config = await cli(dir, ['generate'])
    expect(config.code).toBe(2)
    const lines = config.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('asset "icons/bolt", field "size"')
    expect(lines[0]).toContain('asset "logo", field "variants"')
    expect(config.stderr).not.toMatch(/\n\s+at /)

    const missing = await cli(dir, ['status', '--config', 'nope/assets.config.ts'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope/assets.config.ts: file not found')
  })

  it('--config points at a config elsewhere, on every command', async () => {
    const dir = copyFixture('cli-basic')
    const outside = join(dir, '..')
    for (const args of [['status'], ['generate', '--dry-run'], ['prune', '--dry-run'], ['preview', '--out', join(dir, 'p.html')], ['build', '--out', join(dir, 'out')]]) {
      const result = await cli(outside, [...args, '--config', join(dir, 'assets.config.ts')])
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0)
    }
    const pick = await cli(outside, ['pick', 'logo', '1', '--config', join(dir, 'assets.config.ts')])
    expect(pick.code).toBe(1)
    expect(pick.stderr).toContain('"logo" has not been generated yet')
  })
})

describe('generateAssets (programmatic API)', () => {
  it('plans, estimates and generates, the same as the CLI', async () => {
    const dir = copyFixture('cli-basic')
    const log = join(dir, 'provider.log')
    const env = { TEST_PROVIDER_KEY: 'k' }
    const plan = await generateAssets({ root: dir, dryRun: true, env })
    expect(plan.dryRun).toBe(true)
    expect(plan.plan.map(item => [item.name, item.action, item.reason])).toEqual([
      ['hero', 'generate', 'not in the lockfile'],
      ['logo', 'generate', 'not in the lockfile'],
      ['icons/bolt', 'generate', 'not in the lockfile'],
    ])
    expect(plan.estimate).toEqual({ usd: 0, images: 5, unpriced: ['hero', 'logo', 'icons/bolt'], rough: true })

    process.env.TEST_PROVIDER_LOG = log
    const events: string[] = []
    try {
      const run = await generateAssets({ root: dir, names: ['icons/bolt'], env, onProgress: event => events.push(event.type) })
      expect(run.ok).toBe(true)
      expect(run.results.map(r => [r.name, r.outcome])).toEqual([['icons/bolt', 'generated']])
      expect(run.summary).toMatchObject({ generated: 1, cached: 0, placeholders: 0, failed: 0, skipped: 0 })
      expect(events).toEqual(['plan', 'start', 'done'])
      expect(providerLog(log)).toEqual([{ asset: 'icons/bolt', variants: 1 }])
    }
    finally {
      delete process.env.TEST_PROVIDER_LOG
    }
  })
})
