/**
 * Cost control: what an asset is expected to cost (price table × variants),
 * and a budget that refuses a run whose estimate exceeds the cap and stops a
 * run before the next generation could exceed it.
 */
import type { ResolvedAsset } from '../config/resolve'
import type { Tool } from '../providers/prices'
import { priceOf, toolPriceOf } from '../providers/prices'

export interface AssetEstimate {
  /** Images one generation asks for (its variants). */
  images: number
  /** USD per image from the price table; undefined for a model we have no price for. */
  perImage?: number
  /** `images × perImage`, when the price is known. */
  usd?: number
  /** The price is a rough public number, not a confirmed one. */
  rough: boolean
  /** Calls beside generation it pays for (style creation, vectorize, background removal), with their USD; included in `usd`. */
  extras?: { call: Tool, count: number, usd?: number }[]
}

/** How the dry run names each call beside generation. */
export const CALL_NAMES: Record<Tool, string> = {
  createStyle: 'style creation',
  vectorize: 'vectorize',
  removeBackground: 'background removal',
}

/**
 * Generation, plus one vectorize and one background removal per image when
 * the asset asks for them, plus the brand's style when this asset is the one
 * that would make it (`createStyle`: the plan counts each style once).
 */
export function estimateAsset(asset: ResolvedAsset, options: { createStyle?: boolean } = {}): AssetEstimate {
  const { generation: g } = asset
  const images = g.variants
  const price = priceOf(g.provider, g.model)
  // Only the calls it makes: most assets make none, and a plan estimates every asset.
  const calls: [Tool, number][] = []
  if (options.createStyle)
    calls.push(['createStyle', 1])
  if (g.vectorize)
    calls.push(['vectorize', images])
  if (g.transparent)
    calls.push(['removeBackground', images])
  const extras = calls.map(([call, count]) => {
    const tool = toolPriceOf(g.provider, call)
    return { call, count, usd: tool && roundUSD(tool.usd * count), rough: tool?.estimate ?? true }
  })
  const extra = extras.length > 0 ? { extras: extras.map(({ rough: _, ...rest }) => rest) } : {}
  if (!price)
    return { images, rough: true, ...extra }
  const extrasUSD = extras.reduce((sum, e) => sum + (e.usd ?? 0), 0)
  return { images, perImage: price.usd, usd: roundUSD(price.usd * images + extrasUSD), rough: price.estimate || extras.some(e => e.rough), ...extra }
}

/** The run would cost more than the cap allows: refused before anything was called. */
export class BudgetError extends Error {
  override name = 'BudgetError'
  constructor(readonly estimate: number, readonly cap: number, readonly source: string) {
    super(`Refusing to start: the estimated cost ${formatUSD(estimate)} exceeds ${source} of ${formatUSD(cap)}. `
      + `Generate fewer assets (\`ai-assets generate <names…>\`), or raise the cap; \`ai-assets generate --dry-run\` shows the plan.`)
    this.stack = `${this.name}: ${this.message}`
  }
}

export interface Reservation {
  /** What was held for this generation. */
  usd: number
}

/**
 * Money held for generations in flight plus money spent. A generation starts
 * only when spent + held + its own estimate stays within the cap. The estimate
 * of a model without a price is the highest cost per image seen so far in
 * this run (0 before the first one reports).
 */
export class Budget {
  spent = 0
  held = 0
  /** Some spent money is an estimate (the provider did not report a cost). */
  spentIsEstimate = false
  /** Generations whose cost is unknown: no price, no cost reported, nothing to estimate from. */
  unknown = 0
  private highestPerImage = 0
  /** A provider has reported a cost in this run, so unpriced models have an estimate. */
  observed = false

  constructor(readonly cap?: number) {}

  estimate(estimate: AssetEstimate): number {
    return estimate.usd ?? roundUSD(this.highestPerImage * estimate.images)
  }

  /** Holds the estimate of one generation, or undefined when it would break the cap. */
  reserve(estimate: AssetEstimate): Reservation | undefined {
    const usd = this.estimate(estimate)
    if (this.cap !== undefined && this.spent + this.held + usd > this.cap + 1e-9)
      return undefined
    this.held += usd
    return { usd }
  }

  /** Releases the hold; `actual` (USD) is what the provider reported, if it did. Gives what is counted (undefined: unknown). */
  settle(reservation: Reservation, estimate: AssetEstimate, actual: number | undefined, spent: boolean): number | undefined {
    this.held -= reservation.usd
    if (!spent)
      return 0
    let cost = actual
    if (cost === undefined) {
      if (estimate.usd === undefined && reservation.usd === 0) {
        this.unknown++
        return undefined
      }
      cost = reservation.usd
      if (estimate.usd === undefined || estimate.rough)
        this.spentIsEstimate = true
    }
    else if (estimate.images > 0) {
      this.highestPerImage = Math.max(this.highestPerImage, cost / estimate.images)
      this.observed = true
    }
    this.spent = roundUSD(this.spent + cost)
    return cost
  }
}

/** Cents are too coarse for one image ($0.0384): up to 4 decimals, at least 2. */
export function formatUSD(usd: number): string {
  if (usd === 0)
    return '$0'
  if (Math.abs(usd) >= 1)
    return `$${usd.toFixed(2)}`
  const text = usd.toFixed(4).replace(/0+$/, '')
  const decimals = text.split('.')[1]?.length ?? 0
  return `$${decimals < 2 ? usd.toFixed(2) : text}`
}

export function roundUSD(usd: number): number {
  return Math.round(usd * 1e6) / 1e6
}

/** What one generation of a run asks of the budget. */
export interface BudgetedGeneration {
  estimate: AssetEstimate
  /** It reuses another asset's image: it costs nothing more. */
  sharesWith?: string
}

/** A generation run by the scheduler: not started (it could break the cap), or what it gave and cost. */
export type Scheduled<T>
  = | { started: false }
    | { started: true, value: T, cost: number | undefined, paid: boolean }

/** A generation the scheduler let start: what it holds of the budget until it ends. */
export interface BudgetHold {
  item: BudgetedGeneration
  reservation: Reservation
  /** It is the first generation of an unpriced model under a cap: the others wait for its cost. */
  probe: boolean
}

/**
 * The one budget scheduler of a run. A generation starts only when the budget
 * can hold its estimate; once one could not, no other starts (the run stops
 * before the cap, not after). With a cap, the first generation of a model
 * without a price runs alone: the cost it reports becomes the estimate of the
 * others. If it reports none, there is nothing to learn: the rest runs in
 * parallel.
 *
 * `start` and `end` bracket one generation: the pipeline calls `start` in the
 * generation's queue slot, just before its first paid call, so that what is
 * held is what is in flight. `run` brackets a function.
 */
export class BudgetScheduler {
  readonly budget: Budget
  /** A generation was not started because of the cap. */
  stopped = false
  private probe: Promise<void> | undefined
  private releaseProbe: (() => void) | undefined
  private probed = false

  constructor(readonly cap?: number) {
    this.budget = new Budget(cap)
  }

  private needsProbe(item: BudgetedGeneration): boolean {
    return this.cap !== undefined && item.estimate.usd === undefined && !this.budget.observed && !this.probed
  }

  /** Holds the generation's estimate, waiting while a probe runs; undefined when it must not start (the cap). */
  async start(item: BudgetedGeneration): Promise<BudgetHold | undefined> {
    while (this.needsProbe(item) && this.probe)
      await this.probe
    // An asset that shares another's key is not paid for again.
    const estimate = item.sharesWith === undefined ? item.estimate : { images: 0, usd: 0, rough: false }
    const reservation = this.stopped ? undefined : this.budget.reserve(estimate)
    if (!reservation) {
      this.stopped = true
      return undefined
    }
    const probe = this.needsProbe(item)
    if (probe)
      this.probe = new Promise<void>(resolve => (this.releaseProbe = resolve))
    return { item, reservation, probe }
  }

  /**
   * Releases the hold. `paid`: what the generation paid a provider, with the
   * cost it reported (undefined: it failed, or paid nothing). Gives the USD
   * counted for it (undefined: unknown).
   */
  end(hold: BudgetHold, paid: { cost?: number } | undefined): number | undefined {
    const cost = this.budget.settle(hold.reservation, hold.item.estimate, paid?.cost, paid !== undefined)
    if (hold.probe) {
      this.probed = paid !== undefined
      this.probe = undefined
      this.releaseProbe?.()
    }
    return paid ? cost : undefined
  }

  /**
   * Runs `work` within the budget. `paidFor(value)` says whether it paid a
   * provider, and what the provider reported (undefined: nothing reported).
   */
  async run<T>(item: BudgetedGeneration, work: () => Promise<T>, paidFor: (value: T) => { cost?: number } | undefined): Promise<Scheduled<T>> {
    const hold = await this.start(item)
    if (!hold)
      return { started: false }
    let value: T
    try {
      value = await work()
    }
    catch (error) {
      this.end(hold, undefined)
      throw error
    }
    const paid = paidFor(value)
    return { started: true, value, cost: this.end(hold, paid), paid: paid !== undefined }
  }
}
