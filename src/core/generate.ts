/**
 * `generateAssets(options)`: the programmatic form of `ai-assets generate`.
 * It plans (what is fresh, what would be generated and why, what it would
 * cost), enforces the budget, then drives the same pipeline as the plugin for
 * every asset that needs work. The CLI is a thin layer over it.
 */
import type { ResolvedConfig } from '../config/resolve'
import type { PlaceholderPolicy } from '../types'
import type { Reservation } from './cost'
import type { LockEntry } from './lockfile'
import PQueue from 'p-queue'
import { loadAssetsConfig } from '../config/load'
import { Budget, BudgetError, formatUSD } from './cost'
import { sweepJournals } from './journal'
import { readLockfile } from './lockfile'
import { createPipeline, isCI } from './pipeline'
import { FrozenError, isPlaceholderProvider } from './plan'
import type { PlanEstimate, PlannedAsset } from './run-plan'
import { planAssets, selectAssets, sumEstimate } from './run-plan'


export interface GenerateAssetsOptions {
  /** Path of the config file, relative to `root`. @default `assets.config.{ts,mts,js,mjs}` in root, else cwd */
  config?: string
  /** @default process.cwd() */
  root?: string
  /** Only these assets. @default every asset of the config */
  names?: string[]
  /** Regenerate even when fresh. @default false */
  force?: boolean
  /** Plan and estimate only: never calls a provider, writes nothing. @default false */
  dryRun?: boolean
  /** Never call a provider; fail listing every asset that is not fresh. @default `true` when `CI` is set */
  frozen?: boolean
  /** Provider requests in flight at once. @default 4 */
  concurrency?: number
  /** Most USD this run may spend; overrides the config's `budget`. @default the config's `budget`, else no limit */
  maxCost?: number
  /** What happens when the provider has no credentials. @default 'warn' */
  placeholders?: PlaceholderPolicy
  /** Where credentials come from. @default process.env */
  env?: Record<string, string | undefined>
  /** Stops starting new generations and aborts provider requests. */
  signal?: AbortSignal
  /** Warnings (missing credentials…). @default console.warn */
  warn?: (message: string) => void
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

export type GenerateEvent =
  | { type: 'plan', plan: PlannedAsset[], estimate: PlanEstimate, total: number }
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
  const { plan, states } = await planAssets(config, assets, { force: options.force, env })
  const estimate = sumEstimate(plan)
  const cap = options.maxCost !== undefined
    ? { usd: options.maxCost, source: '--max-cost' as const }
    : config.budget !== undefined ? { usd: config.budget, source: 'budget' as const } : undefined
  const budget = new Budget(cap?.usd)
  const result = (results: AssetResult[], extra: Partial<GenerateAssetsResult> = {}): GenerateAssetsResult => {
    const summary = summarize(results, budget, Date.now() - started)
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

  if (frozen) {
    const blocked = plan.filter(item => item.action !== 'cached' && !isPlaceholderProvider(config))
    if (blocked.length > 0) {
      throw new FrozenError(blocked.map((item) => {
        const state = states[plan.indexOf(item)]!
        return { ...state, status: state.status === 'fresh' ? 'stale' : state.status, reason: item.reason }
      }), config)
    }
  }

  if (cap && estimate.usd > cap.usd + 1e-9)
    throw new BudgetError(estimate.usd, cap.usd, cap.source === 'budget' ? 'the config\'s budget' : '--max-cost')

  const work = plan.filter(item => item.action !== 'cached')
  const total = work.length
  let done = 0
  options.onProgress?.({ type: 'plan', plan, estimate, total })

  const generated = new Map<string, LockEntry>()
  const pipeline = createPipeline({
    config: options.config,
    root: options.root,
    frozen,
    force: options.force,
    placeholders: options.placeholders,
    concurrency: options.concurrency,
    env,
    signal: options.signal,
    warn: options.warn,
    onGenerated: (asset, entry) => generated.set(asset.name, entry),
  })

  const results = new Map<string, AssetResult>()
  for (const item of plan) {
    if (item.action === 'cached')
      results.set(item.name, { name: item.name, outcome: 'cached', ms: 0 })
  }
  let stoppedByBudget = false
  let interrupted = false
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 })

  const finish = (result: AssetResult) => {
    results.set(result.name, result)
    done++
    options.onProgress?.({ type: 'done', result, done, total })
  }

  // With a cap, the first generation of a model without a price runs alone:
  // the cost it reports becomes the estimate of the others.
  // If it reports none, there is nothing to learn: the rest runs in parallel.
  let probe: Promise<unknown> | undefined
  let probed = false
  const needsProbe = (item: PlannedAsset) => cap !== undefined && item.action === 'generate' && item.estimate.usd === undefined && !budget.observed && !probed

  const run = async (item: PlannedAsset): Promise<void> => {
    while (needsProbe(item) && probe)
      await probe
    if (needsProbe(item)) {
      let release!: () => void
      probe = new Promise<void>(resolve => (release = resolve))
      try {
        return await runOne(item)
      }
      finally {
        probed = results.get(item.name)?.outcome === 'generated'
        probe = undefined
        release()
      }
    }
    return runOne(item)
  }

  const runOne = async (item: PlannedAsset) => {
    const begin = Date.now()
    if (options.signal?.aborted) {
      interrupted = true
      return finish({ name: item.name, outcome: 'skipped', error: 'interrupted', ms: 0 })
    }
    let reservation: Reservation | undefined
    if (item.action === 'generate') {
      // An asset that shares another's key is not paid for again.
      reservation = stoppedByBudget ? undefined : budget.reserve(item.sharesWith === undefined ? item.estimate : { images: 0, usd: 0, rough: false })
      if (!reservation) {
        stoppedByBudget = true
        return finish({ name: item.name, outcome: 'skipped', error: `not started: it could take the run past ${cap!.source === 'budget' ? 'the budget' : '--max-cost'} of ${formatUSD(cap!.usd)} (spent so far: ${formatUSD(budget.spent)})`, ms: 0 })
      }
    }
    options.onProgress?.({ type: 'start', name: item.name, done, total })
    try {
      const original = await pipeline.original(item.name)
      const entry = generated.get(item.name)
      if (entry) {
        const cost = budget.settle(reservation!, item.estimate, entry.cost, true)
        return finish({ name: item.name, outcome: 'generated', cost, costIsEstimate: entry.cost === undefined, ms: Date.now() - begin })
      }
      if (reservation)
        budget.settle(reservation, item.estimate, undefined, false)
      return finish({ name: item.name, outcome: original.placeholder ? 'placeholder' : 'cached', ms: Date.now() - begin })
    }
    catch (error) {
      if (reservation)
        budget.settle(reservation, item.estimate, undefined, false)
      if (options.signal?.aborted) {
        interrupted = true
        return finish({ name: item.name, outcome: 'skipped', error: 'interrupted', ms: Date.now() - begin })
      }
      return finish({ name: item.name, outcome: 'failed', error: (error as Error)?.message ?? String(error), ms: Date.now() - begin })
    }
  }
  await Promise.all(work.map(item => queue.add(() => run(item))))
  // A killed run may have left journals of what is now recorded (frozen runs write nothing).
  if (!frozen)
    await sweepJournals(config.store, await readLockfile(config.store), message => (options.warn ?? console.warn)(`[ai-assets] ${message}`))

  const ordered = plan.map(item => results.get(item.name)!)
  return result(ordered, { stoppedByBudget, interrupted })
}
