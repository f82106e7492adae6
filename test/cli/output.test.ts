import type { OutStream } from '../../src/cli/reporter'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { summaryLine } from '../../src/cli/output'
import { run } from '../../src/cli/program'
import { Budget, formatUSD } from '../../src/core/cost'
import { copyFixture } from '../helpers'
import { providerLog } from './cli'

class Collect implements OutStream {
  text = ''
  constructor(readonly isTTY: boolean, readonly columns = 100) {}
  write(chunk: string) {
    this.text += chunk
    return true
  }
}

describe('progress and summary', () => {
  afterEach(() => {
    delete process.env.TEST_PROVIDER_DELAY
    delete process.env.TEST_PROVIDER_LOG
  })

  it('on a TTY: a progress line redrawn in place with done/total, current asset, elapsed and ETA; results stay plain', async () => {
    const dir = copyFixture('cli-basic')
    process.env.TEST_PROVIDER_DELAY = '300'
    process.env.TEST_PROVIDER_LOG = join(dir, 'provider.log')
    const stdout = new Collect(true)
    const stderr = new Collect(true)
    const code = await run(['generate', '--concurrency', '1'], { cwd: dir, env: { TEST_PROVIDER_KEY: 'k' }, streams: { stdout, stderr }, tty: true })
    expect(code).toBe(0)
    expect(providerLog(process.env.TEST_PROVIDER_LOG)).toHaveLength(3)

    const frames = stderr.text.split('\r\x1B[2K').filter(Boolean)
    expect(frames.length).toBeGreaterThan(5)
    expect(frames.some(frame => /^. 0\/3 ░{16} \d+\.\ds · hero$/.test(frame))).toBe(true)
    expect(frames.some(frame => /^. 1\/3 █{5}░{11} \d+\.\ds · ETA \d+\.\ds · logo$/.test(frame))).toBe(true)
    expect(frames.some(frame => /^. 2\/3 .* · ETA .* · icons\/bolt$/.test(frame))).toBe(true)
    // The display is cleared at the end: the last thing written to stderr is the clearing sequence.
    expect(stderr.text.endsWith('\r\x1B[2K')).toBe(true)
    // Results on stdout carry no control characters.
    expect(stdout.text).not.toContain('\x1B')
    expect(stdout.text).toMatch(/^generated\s+hero\s+0\.\ds$/m)
    expect(stdout.text.trim().split('\n').at(-1)).toMatch(/^Summary: 3 generated, 0 cached, 0 placeholders, 0 failed, cost \$0 \+ unknown for 3 \(no price, none reported\) \(\d+\.\ds\)$/)
  })

  it('elsewhere: plain lines only', async () => {
    const dir = copyFixture('cli-basic')
    const stdout = new Collect(false)
    const stderr = new Collect(false)
    const code = await run(['generate'], { cwd: dir, env: {}, streams: { stdout, stderr } })
    expect(code).toBe(0)
    expect(stderr.text + stdout.text).not.toContain('\x1B')
    expect(stderr.text).toContain('TEST_PROVIDER_KEY is not set')
    const lines = stdout.text.trim().split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toBe('Working on 3 assets (0 already fresh)')
    // One line per asset as it finishes (in the order they finish).
    expect(lines.slice(1, 4).sort()).toEqual([
      expect.stringMatching(/^placeholder\s+hero\s+\d/),
      expect.stringMatching(/^placeholder\s+icons\/bolt\s+\d/),
      expect.stringMatching(/^placeholder\s+logo\s+\d/),
    ])
    expect(lines[4]).toMatch(/^Summary: 0 generated, 0 cached, 3 placeholders, 0 failed, cost \$0 \(/)
  })

  it('prints help and the version, exit 0; no command is a usage error', async () => {
    const stdout = new Collect(false)
    const stderr = new Collect(false)
    expect(await run(['--help'], { streams: { stdout, stderr } })).toBe(0)
    expect(stdout.text).toContain('generate [...names]')
    expect(stdout.text).toContain('pick <name> <n>')
    expect(await run(['generate', '--help'], { streams: { stdout, stderr } })).toBe(0)
    expect(stdout.text).toContain('--max-cost <usd>')
    expect(await run(['--version'], { streams: { stdout, stderr } })).toBe(0)
    expect(stdout.text).toMatch(/ai-assets\/\d+\.\d+\.\d+/)
    expect(await run([], { streams: { stdout, stderr } })).toBe(2)
    expect(stderr.text).toBe('')
  })
})

describe('cost', () => {
  it('formats dollars to the precision of one image', () => {
    expect([0, 0.0384, 0.04, 0.1152, 0.5, 1.5, 12].map(formatUSD)).toEqual(['$0', '$0.0384', '$0.04', '$0.1152', '$0.50', '$1.50', '$12.00'])
  })

  it('a budget holds estimates in flight, and learns the cost of a model without a price', () => {
    const budget = new Budget(0.1)
    const priced = { images: 1, perImage: 0.04, usd: 0.04, rough: true }
    const unpriced = { images: 2, rough: true }
    const a = budget.reserve(priced)!
    const b = budget.reserve(priced)!
    expect(budget.reserve(priced)).toBeUndefined()
    expect(budget.settle(a, priced, 0.0384, true)).toBe(0.0384)
    expect(budget.settle(b, priced, undefined, false)).toBe(0)
    expect(budget.spent).toBe(0.0384)

    // Unknown price (one model per run): 0 before anything reports, then the highest cost per image seen.
    const custom = new Budget(0.1)
    const c = custom.reserve(unpriced)!
    expect(c.usd).toBe(0)
    custom.settle(c, unpriced, 0.05, true)
    expect(custom.estimate(unpriced)).toBe(0.05)
    expect(custom.reserve(unpriced)).toBeDefined()
    expect(custom.reserve({ images: 1, rough: true })).toBeUndefined()
    expect(summaryLine({ generated: 2, cached: 1, placeholders: 0, failed: 0, skipped: 1, cost: 0.0884, costIsEstimate: false, costUnknown: 0, ms: 1500 }))
      .toBe('Summary: 2 generated, 1 cached, 0 placeholders, 0 failed, 1 skipped, cost $0.0884 (1.5s)')
  })
})
