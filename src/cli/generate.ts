/** `ai-assets generate [names…]`: generate what is missing or stale, within the budget. */
import type { GenerateAssetsOptions, GenerateAssetsResult } from '../core/generate'
import type { PlannedAsset } from '../core/run-plan'
import type { CommandContext, GlobalFlags } from './context'
import { CALL_NAMES, formatUSD } from '../core/cost'
import { generateAssets } from '../core/generate'
import { loadOptions } from './context'
import { dollars, EXIT_FAILURE, EXIT_OK, positiveInteger } from './errors'
import { resultLine, summaryLine } from './output'
import { syncDtsAfterGenerate } from './types'

export interface GenerateFlags extends GlobalFlags {
  force?: boolean
  dryRun?: boolean
  frozen?: boolean
  concurrency?: unknown
  maxCost?: unknown
  /** Where `ai-assets.d.ts` goes, as the plugin's `dts` option. */
  dts?: unknown
}

/** The run's options from the command line. */
export function runOptions(ctx: CommandContext, flags: GenerateFlags): GenerateAssetsOptions {
  return {
    ...loadOptions(ctx, flags),
    force: flags.force,
    dryRun: flags.dryRun,
    frozen: flags.frozen || undefined,
    concurrency: positiveInteger(flags.concurrency, '--concurrency'),
    maxCost: dollars(flags.maxCost, '--max-cost'),
    env: ctx.env,
    signal: ctx.signal,
    warn: message => ctx.reporter.warn(message),
  }
}

/** Runs generateAssets with progress on the reporter; prints each asset's outcome and the summary. */
export async function runWithProgress(ctx: CommandContext, options: GenerateAssetsOptions): Promise<GenerateAssetsResult> {
  const { reporter } = ctx
  let width = 0
  try {
    const result = await generateAssets({
      ...options,
      onProgress: (event) => {
        if (event.type === 'plan') {
          width = Math.max(0, ...event.plan.map(item => item.name.length))
          const toGenerate = event.plan.filter(item => item.action === 'generate')
          const cached = event.plan.length - event.total
          if (event.total > 0) {
            const cost = toGenerate.length > 0 ? `, estimated ${estimateText(event.estimate.usd, event.estimate.rough, event.estimate.unpriced)}` : ''
            reporter.line(`Working on ${event.total} asset${event.total === 1 ? '' : 's'} (${cached} already fresh)${cost}`)
          }
          reporter.start(event.total)
        }
        else if (event.type === 'start') {
          reporter.begin(event.name)
        }
        else {
          reporter.end(event.result.name, event.done)
          // A failure is an error: stderr, with the other errors, so that `2>` captures every one.
          if (event.result.outcome === 'failed')
            reporter.warn(resultLine(event.result, width))
          else
            reporter.line(resultLine(event.result, width))
        }
      },
    })
    return result
  }
  finally {
    reporter.stop()
  }
}

function estimateText(usd: number, rough: boolean, unpriced: string[]): string {
  const text = `${rough && usd > 0 ? '~' : ''}${formatUSD(usd)}`
  if (unpriced.length === 0)
    return text
  const unknown = `unknown for ${unpriced.length} asset${unpriced.length === 1 ? '' : 's'} (no price for this model)`
  return usd > 0 ? `${text} + ${unknown}` : unknown
}

export async function generateCommand(names: string[], flags: GenerateFlags, ctx: CommandContext): Promise<number> {
  const options = { ...runOptions(ctx, flags), names }
  if (options.dryRun) {
    const result = await generateAssets(options)
    printPlan(ctx, result)
    return EXIT_OK
  }
  const result = await runWithProgress(ctx, options)
  await syncDtsAfterGenerate(flags, ctx, result.config)
  return reportRun(ctx, result) ? EXIT_OK : EXIT_FAILURE
}

/** The end of a run: why it stopped if it did, and the summary. Gives whether it succeeded. */
export function reportRun(ctx: CommandContext, result: GenerateAssetsResult): boolean {
  const { reporter } = ctx
  if (result.stoppedByBudget)
    reporter.warn(`Stopped before exceeding ${result.cap!.source === 'budget' ? 'the budget' : '--max-cost'} of ${formatUSD(result.cap!.usd)}: ${result.summary.skipped} asset${result.summary.skipped === 1 ? ' was' : 's were'} not generated. Raise the cap or generate them by name.`)
  if (result.interrupted) {
    reporter.warn('Interrupted: nothing partial was written; run again to generate the rest.')
    const billed = result.results.filter(r => r.mayHaveBeenBilled).map(r => `"${r.name}"`)
    if (billed.length > 0)
      reporter.warn(`The request${billed.length === 1 ? ' of' : 's of'} ${billed.join(', ')} ${billed.length === 1 ? 'was' : 'were'} in flight and may have been billed; ${billed.length === 1 ? 'its image was' : 'their images were'} not kept. Check the spend on your provider's dashboard: running again pays again.`)
  }
  if (result.summary.failed > 0)
    reporter.warn(`${result.summary.failed} asset${result.summary.failed === 1 ? '' : 's'} failed; see above.`)
  reporter.line(summaryLine(result.summary))
  return result.ok
}

const ACTIONS: Record<PlannedAsset['action'], string> = {
  generate: 'generate',
  cached: 'fresh',
  placeholder: 'placeholder',
}

function printPlan(ctx: CommandContext, result: GenerateAssetsResult): void {
  const { reporter } = ctx
  const { plan, estimate, cap } = result
  reporter.line('Plan (dry run: no provider is called, nothing is written):')
  const rows = plan.map((item) => {
    const price = item.estimate.usd === undefined ? 'price unknown' : `${item.estimate.rough ? '~' : ''}${formatUSD(item.estimate.usd)}`
    const extras = (item.estimate.extras ?? []).map(e => `${e.count > 1 ? `${e.count} × ` : ''}${CALL_NAMES[e.call]}`)
    const images = item.estimate.images > 1 || extras.length > 0 ? ` (${[`${item.estimate.images} image${item.estimate.images === 1 ? '' : 's'}`, ...extras].join(' + ')})` : ''
    const cost = item.action === 'generate' ? (item.sharesWith === undefined ? `${price}${images}` : '$0') : item.action === 'placeholder' ? '$0' : '-'
    const why = item.action === 'cached'
      ? 'fresh in the store'
      : `${item.status === 'placeholder' || item.status === 'fresh' ? '' : `${item.status}: `}${item.reason ?? ''}${item.note ? `; ${item.note}${item.estimate.usd !== undefined ? ` (${price}${images} once set)` : ''}` : ''}`
    return [ACTIONS[item.action], item.name, `${item.provider} ${item.model}`, cost, why]
  })
  const widths = [0, 1, 2, 3].map(column => Math.max(0, ...rows.map(row => row[column]!.length)))
  for (const row of rows)
    reporter.line(`  ${row.map((cell, column) => column < 4 ? cell.padEnd(widths[column]!) : cell).join('  ')}`.trimEnd())
  const generating = plan.filter(item => item.action === 'generate').length
  const placeholders = plan.filter(item => item.action === 'placeholder').length
  const fresh = plan.filter(item => item.action === 'cached').length
  reporter.line(`Estimated cost: ${estimateText(estimate.usd, estimate.rough, estimate.unpriced)} for ${estimate.images} image${estimate.images === 1 ? '' : 's'} `
    + `(${generating} to generate, ${placeholders} placeholder${placeholders === 1 ? '' : 's'}, ${fresh} fresh)${estimate.rough && estimate.usd > 0 ? '; prices marked ~ are rough public prices' : ''}`)
  if (cap) {
    const over = estimate.usd > cap.usd + 1e-9
    reporter.line(`Cap: ${formatUSD(cap.usd)} (${cap.source === 'budget' ? 'config budget' : '--max-cost'}): ${over ? 'the estimate exceeds it, so a real run would be refused' : 'within it'}`)
  }
}
