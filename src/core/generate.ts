/**
 * `generateAssets(options)`: the programmatic form of `ai-assets generate`.
 * It plans (what is fresh, what would be generated and why, what it would
 * cost), enforces the budget, then drives the same pipeline as the plugin for
 * every asset that needs work. The CLI is a thin layer over it.
 */
import type { ResolvedConfig } from '../config/resolve'
import type { Budget, BudgetHold } from './cost'
import type { PipelineOptions } from './pipeline'
import type { PlanEstimate, PlannedAsset } from './run-plan'
import { loadAssetsConfig } from '../config/load'
import { saysMayHaveBeenBilled } from '../providers/http-error'
import { BudgetError, BudgetScheduler, formatUSD } from './cost'
import { sweepJournals } from './journal'
import { readLockfile } from './lockfile'
import { NotStartedError } from './paid-generation'
import { createPipeline, isCI } from './pipeline'
import { planAssets, refuseFrozen, selectAssets, sumEstimate } from './run-plan'

export interface GenerateAssetsOptions extends Omit<PipelineOptions, 'loaded' | 'deriveConcurrency'> {
  /** Only these assets. @default every asset of the config */
  names?: string[]
  /** Plan and estimate only: never calls a provider, writes nothing. @default false */
  dryRun?: boolean
  /** Most USD this run may spend; overrides the config's `budget`. @default the config's `budget`, else no limit */
  maxCost?: number
  /** Progress: the plan, each asset as it starts and as it ends. */
  onProgress?: (event: GenerateEvent) => void
}

export type Outcome = 'generated' | 'cached' | 'placeholder' | 'failed' | 'skipped'

export interface AssetResult {
  name: string
  outcome: Outcome
  /** USD counted for it: reported by the provider, else the estimate. */
  cost?: number
  /** `cost` is an estimate, not what the provider reported. */
  costIsEstimate?: boolean
  /** Why it failed or was skipped. */
  error?: string
  /** Interrupted while its paid request was in flight, or failed saying the call may have been billed: its estimate is counted as spent. */
  mayHaveBeenBilled?: boolean
  /** Wall time, in milliseconds. */
  ms: number
}

export interface GenerateSummary {
  generated: number
  cached: number
  placeholders: number
  failed: number
  /** Not started: budget reached, or interrupted. */
  skipped: number
  /** USD: reported costs plus estimates for generations that did not report one. */
  cost: number
  costIsEstimate: boolean
  /** Generations whose cost is unknown (a model without a price that reports none). */
  costUnknown: number
  ms: number
}

export interface GenerateAssetsResult {
  config: ResolvedConfig
  dryRun: boolean
  plan: PlannedAsset[]
  estimate: PlanEstimate
  /** The cap in force, and where it came from. */
  cap?: { usd: number, source: '--max-cost' | 'budget' }
  results: AssetResult[]
  summary: GenerateSummary
  /** The cap stopped the run before every asset was generated. */
  stoppedByBudget: boolean
  interrupted: boolean
  /** Nothing failed, nothing was skipped. */
  ok: boolean
}

export type GenerateEvent
  = | { type: 'plan', plan: PlannedAsset[], estimate: PlanEstimate, total: number }
    | { type: 'start', name: string, done: number, total: number }
    | { type: 'done', result: AssetResult, done: number, total: number }

export function summarize(results: AssetResult[], budget: Budget, ms: number): GenerateSummary {
  const count = (outcome: Outcome) => results.filter(result => result.outcome === outcome).length
  return {
    generated: count('generated'),
    cached: count('cached'),
    placeholders: count('placeholder'),
    failed: count('failed'),
    skipped: count('skipped'),
    cost: budget.spent,
    costIsEstimate: budget.spentIsEstimate,
    costUnknown: budget.unknown,
    ms,
  }
}

/**
 * Generates every selected asset that is missing or stale (or all of them with
 * `force`), within the budget. Throws AssetsConfigError (invalid config),
 * UnknownAssetError, FrozenError (a frozen run meets an asset that is not
 * fresh) or BudgetError (the estimate exceeds the cap) before calling
 * anything; a failure of one asset is reported in its result, not thrown.
 */
export async function generateAssets(options: GenerateAssetsOptions = {}): Promise<GenerateAssetsResult> {
  const started = Date.now()
  const env = options.env ?? process.env
  const frozen = options.frozen ?? isCI(env)
  const config = await loadAssetsConfig({ config: options.config, root: options.root })
  const assets = selectAssets(config, options.names)
  const { plan } = await planAssets(config, assets, { force: options.force, env })
  const estimate = sumEstimate(plan)
  const cap = options.maxCost !== undefined
    ? { usd: options.maxCost, source: '--max-cost' as const }
    : config.budget !== undefined ? { usd: config.budget, source: 'budget' as const } : undefined
  const scheduler = new BudgetScheduler(cap?.usd)
  const result = (results: AssetResult[], extra: Partial<GenerateAssetsResult> = {}): GenerateAssetsResult => {
    const summary = summarize(results, scheduler.budget, Date.now() - started)
    return {
      config,
      dryRun: false,
      plan,
      estimate,
      cap,
      results,
      summary,
      stoppedByBudget: false,
      interrupted: false,
      ok: summary.failed === 0 && summary.skipped === 0,
      ...extra,
    }
  }

  if (options.dryRun)
    return result([], { dryRun: true })
  if (frozen)
    refuseFrozen(config, plan)
  if (cap && estimate.usd > cap.usd + 1e-9)
    throw new BudgetError(estimate.usd, cap.usd, cap.source === 'budget' ? 'the config\'s budget' : '--max-cost')

  const work = plan.filter(item => item.action !== 'cached')
  const total = work.length
  let done = 0
  options.onProgress?.({ type: 'plan', plan, estimate, total })

  const { names: _names, dryRun: _dryRun, maxCost: _maxCost, onProgress: _onProgress, ...runOptions } = options
  const pipeline = createPipeline({ ...runOptions, loaded: config, frozen, env })
  const results = new Map<string, AssetResult>()
  for (const item of plan) {
    if (item.action === 'cached')
      results.set(item.name, { name: item.name, outcome: 'cached', ms: 0 })
  }
  let interrupted = false

  const finish = (result: AssetResult) => {
    results.set(result.name, result)
    done++
    options.onProgress?.({ type: 'done', result, done, total })
  }
  const notStarted = () => `not started: it could take the run past ${cap!.source === 'budget' ? 'the budget' : '--max-cost'} of ${formatUSD(cap!.usd)} (spent so far: ${formatUSD(scheduler.budget.spent)})`

  const attempt = async (item: PlannedAsset, queueAfter: Promise<void> | undefined, pass: () => void): Promise<void> => {
    const begin = Date.now()
    if (options.signal?.aborted) {
      interrupted = true
      return finish({ name: item.name, outcome: 'skipped', error: 'interrupted', ms: 0 })
    }
    let started = false
    const start = () => {
      if (!started) {
        started = true
        options.onProgress?.({ type: 'start', name: item.name, done, total })
      }
    }
    let hold: BudgetHold | undefined
    try {
      // The pipeline's queue is the only one: a paid generation reserves its estimate and says it starts
      // in its slot, so that a generation waiting for a slot holds no money and is not shown as running.
      const made = await pipeline.original(item.name, {
        queueAfter,
        onWaiting: pass,
        onStart: async () => {
          hold = await scheduler.start(item)
          if (hold)
            start()
          return hold !== undefined
        },
      })
      // Taken from the store, shared with another asset of its key, or drawn: it started and ended at once.
      start()
      const cost = hold && scheduler.end(hold, made.generated)
      const entry = made.generated
      if (entry)
        return finish({ name: item.name, outcome: 'generated', cost, costIsEstimate: entry.cost === undefined, ms: Date.now() - begin })
      return finish({ name: item.name, outcome: made.placeholder ? 'placeholder' : 'cached', ms: Date.now() - begin })
    }
    catch (error) {
      const message = (error as Error)?.message ?? String(error)
      // Interrupted with its paid request out, or failed saying the call may have been billed: its estimate counts as spent.
      const inFlight = started && !!options.signal?.aborted
      const billed = inFlight || (started && saysMayHaveBeenBilled(message))
      const cost = hold && scheduler.end(hold, billed ? {} : undefined)
      if (error instanceof NotStartedError)
        return finish({ name: item.name, outcome: 'skipped', error: notStarted(), ms: 0 })
      if (options.signal?.aborted) {
        interrupted = true
        // One still waiting for a slot was never started: no time to show, and nothing paid.
        if (!started)
          return finish({ name: item.name, outcome: 'skipped', error: 'interrupted', ms: 0 })
        return finish({ name: item.name, outcome: 'skipped', error: 'interrupted while its request was in flight: the call may have been billed', mayHaveBeenBilled: true, cost, costIsEstimate: true, ms: Date.now() - begin })
      }
      return finish({ name: item.name, outcome: 'failed', error: message, ...(billed ? { mayHaveBeenBilled: true, cost, costIsEstimate: true } : {}), ms: Date.now() - begin })
    }
  }
  const run = async (item: PlannedAsset, startAfter: Promise<void>, queueAfter: Promise<void> | undefined, pass: () => void): Promise<void> => {
    await startAfter
    try {
      await attempt(item, queueAfter, pass)
    }
    finally {
      pass()
    }
  }
  // Generations take the queue's slots in plan order: an asset enters the queue once the one before it
  // has entered it, waits (for another process or another asset of its key) or is done. Its checks (the
  // store, its key's lock) are local and quick, and start `concurrency` assets ahead, so that the next ones
  // are ready whenever a slot frees.
  const ahead = Math.max(1, options.concurrency ?? 4)
  const entered: Promise<void>[] = []
  // An asset that shares its key starts once the asset the plan named as its payer is done, so that
  // the payer is the one that pays (and whose entry records the cost), whichever would reach the key first.
  const runs = new Map<string, Promise<void>>()
  await Promise.all(work.map((item) => {
    let pass!: () => void
    const passed = new Promise<void>(resolve => (pass = resolve))
    const payer = item.sharesWith === undefined ? undefined : runs.get(item.sharesWith)
    let running: Promise<void>
    if (payer) {
      running = run(item, payer, undefined, pass)
    }
    else {
      running = run(item, entered.at(-ahead) ?? Promise.resolve(), entered.at(-1), pass)
      entered.push(passed)
    }
    runs.set(item.name, running)
    return running
  }))
  // A killed run may have left journals of what is now recorded (frozen runs write nothing).
  if (!frozen)
    await sweepJournals(config.store, await readLockfile(config.store), message => (options.warn ?? console.warn)(`[ai-assets] ${message}`))

  const ordered = plan.map(item => results.get(item.name)!)
  return result(ordered, { stoppedByBudget: scheduler.stopped, interrupted })
}
