/** How a run's results read: one line per asset, and the summary every run ends with. */
import type { AssetResult, GenerateSummary } from '../core/generate'
import { formatUSD } from '../core/cost'
import { formatDuration } from './reporter'

const MARKS: Record<AssetResult['outcome'], string> = {
  generated: 'generated',
  cached: 'cached',
  placeholder: 'placeholder',
  failed: 'FAILED',
  skipped: 'skipped',
}

/** One asset's outcome: `generated  hero  $0.04  3.2s`. */
export function resultLine(result: AssetResult, width = 0): string {
  const parts = [MARKS[result.outcome].padEnd(11), result.name.padEnd(width)]
  if (result.cost !== undefined)
    parts.push(`${result.costIsEstimate ? '~' : ''}${formatUSD(result.cost)}`)
  if (result.ms > 0)
    parts.push(formatDuration(result.ms))
  if (result.error)
    parts.push(`— ${result.error}`)
  return parts.join('  ').trimEnd()
}

/** The line every run ends with. */
export function summaryLine(summary: GenerateSummary): string {
  const parts = [
    `${summary.generated} generated`,
    `${summary.cached} cached`,
    `${summary.placeholders} placeholder${summary.placeholders === 1 ? '' : 's'}`,
    `${summary.failed} failed`,
  ]
  if (summary.skipped > 0)
    parts.push(`${summary.skipped} skipped`)
  const unknown = summary.costUnknown > 0 ? ` + unknown for ${summary.costUnknown} (no price, none reported)` : ''
  parts.push(`cost ${summary.costIsEstimate && summary.cost > 0 ? '~' : ''}${formatUSD(summary.cost)}${unknown}`)
  return `Summary: ${parts.join(', ')} (${formatDuration(summary.ms)})`
}
