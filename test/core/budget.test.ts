/** The budget scheduler: what a run may start within its cap, and what it counts as spent. */
import type { AssetEstimate } from '../../src/core/cost'
import { describe, expect, it } from 'vitest'
import { Budget, BudgetScheduler, formatUSD } from '../../src/core/cost'

const priced = (usd: number, images = 1): AssetEstimate => ({ images, perImage: usd / images, usd, rough: false })
const unpriced = (images = 1): AssetEstimate => ({ images, rough: true })

/** A generation that pays `cost` (undefined: reports none) after a tick, and notes when it ran. */
function paying(log: string[], name: string, cost: number | undefined) {
  return async () => {
    log.push(`start ${name}`)
    await new Promise(resolve => setTimeout(resolve, 5))
    log.push(`end ${name}`)
    return { cost }
  }
}
const paid = (value: { cost?: number }) => value

describe('Budget', () => {
  it('holds estimates in flight and refuses one that would take spent + held past the cap', () => {
    const budget = new Budget(0.1)
    const a = budget.reserve(priced(0.04))!
    const b = budget.reserve(priced(0.04))!
    expect(budget.reserve(priced(0.04))).toBeUndefined()
    expect(budget.settle(a, priced(0.04), 0.03, true)).toBe(0.03)
    expect(budget.settle(b, priced(0.04), undefined, false)).toBe(0)
    expect(budget).toMatchObject({ spent: 0.03, held: 0, spentIsEstimate: false })
    expect(budget.reserve(priced(0.07))).toBeDefined()
  })

  it('counts the estimate when the provider reports no cost, and marks it so', () => {
    const budget = new Budget()
    const hold = budget.reserve({ ...priced(0.04), rough: true })!
    expect(budget.settle(hold, { ...priced(0.04), rough: true }, undefined, true)).toBe(0.04)
    expect(budget).toMatchObject({ spent: 0.04, spentIsEstimate: true, unknown: 0 })
  })

  it('an unpriced model that reports nothing is an unknown cost, not $0', () => {
    const budget = new Budget()
    const hold = budget.reserve(unpriced())!
    expect(budget.settle(hold, unpriced(), undefined, true)).toBeUndefined()
    expect(budget).toMatchObject({ spent: 0, unknown: 1 })
  })
})

describe('BudgetScheduler', () => {
  it('runs the first generation of an unpriced model alone, then estimates the others from its reported cost', async () => {
    const scheduler = new BudgetScheduler(0.1)
    const log: string[] = []
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map(name => scheduler.run({ estimate: unpriced() }, paying(log, name, 0.04), paid)))
    // a ran alone; b fit (0.04 spent + 0.04); c would have made 0.12; d was not started after c.
    expect(log.slice(0, 2)).toEqual(['start a', 'end a'])
    expect(outcomes.map(outcome => outcome.started)).toEqual([true, true, false, false])
    expect(outcomes[0]).toMatchObject({ cost: 0.04, paid: true })
    expect(scheduler.stopped).toBe(true)
    expect(scheduler.budget.spent).toBe(0.08)
  })

  it('without a cap, nothing waits for a probe', async () => {
    const scheduler = new BudgetScheduler()
    const log: string[] = []
    await Promise.all(['a', 'b'].map(name => scheduler.run({ estimate: unpriced() }, paying(log, name, undefined), paid)))
    expect(log.slice(0, 2)).toEqual(['start a', 'start b'])
    expect(scheduler.budget.unknown).toBe(2)
  })

  it('an asset that shares another\'s key reserves nothing', async () => {
    const scheduler = new BudgetScheduler(0.05)
    const log: string[] = []
    const [payer, sharer] = await Promise.all([
      scheduler.run({ estimate: priced(0.04) }, paying(log, 'hero', 0.04), paid),
      scheduler.run({ estimate: priced(0.04), sharesWith: 'hero' }, async () => ({ cost: undefined }), () => undefined),
    ])
    expect(payer).toMatchObject({ started: true, paid: true, cost: 0.04 })
    expect(sharer).toMatchObject({ started: true, paid: false, cost: undefined })
    expect(scheduler.stopped).toBe(false)
    expect(scheduler.budget.spent).toBe(0.04)
  })

  it('a failed generation releases its hold and spends nothing', async () => {
    const scheduler = new BudgetScheduler(0.04)
    await expect(scheduler.run({ estimate: priced(0.04) }, async () => { throw new Error('HTTP 500') }, paid)).rejects.toThrow('HTTP 500')
    expect(scheduler.budget).toMatchObject({ spent: 0, held: 0 })
    expect(await scheduler.run({ estimate: priced(0.04) }, async () => ({ cost: 0.04 }), paid)).toMatchObject({ started: true, cost: 0.04 })
  })
})

describe('formatUSD', () => {
  it('shows one image\'s price to the tenth of a cent and whole dollars to the cent', () => {
    expect([0, 0.04, 0.0384, 0.5, 1, 12.345].map(formatUSD)).toEqual(['$0', '$0.04', '$0.0384', '$0.50', '$1.00', '$12.35'])
  })
})
