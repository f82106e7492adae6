/** `ai-assets status [names…] [--check] [--json]`: every asset as fresh, stale (and why), missing or placeholder. */
import type { LockEntry } from '../core/lockfile'
import type { CommandContext, GlobalFlags } from './context'
import { loadAssetsConfig } from '../config/load'
import { isPlaceholderProvider } from '../core/asset-state'
import { formatUSD, roundUSD } from '../core/cost'
import { planAssets, selectAssets } from '../core/run-plan'
import { loadOptions } from './context'
import { EXIT_FAILURE, EXIT_OK } from './errors'

export interface StatusFlags extends GlobalFlags {
  check?: boolean
  json?: boolean
}

export interface StatusRow {
  name: string
  status: 'fresh' | 'stale' | 'missing' | 'placeholder'
  /** Why it is not fresh. */
  reason?: string
  /** Why a build would draw a placeholder for it instead of generating. */
  note?: string
  provider?: string
  model?: string
  size: string
  file?: string
  cost?: number
  variants?: number
  pick?: number
}

export async function statusCommand(names: string[], flags: StatusFlags, ctx: CommandContext): Promise<number> {
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const assets = selectAssets(config, names)
  // --check is for CI: it hashes every original, whatever the verified index says (README "How much checking costs").
  const { plan } = await planAssets(config, assets, { env: ctx.env, check: flags.check ? 'full' : 'indexed' })
  const rows = plan.map((item, index): StatusRow => {
    const { generation } = assets[index]!
    const entry = item.entry
    return {
      name: item.name,
      status: item.status,
      reason: item.reason,
      note: item.note,
      provider: entry?.provider ?? generation.provider,
      model: entry?.model ?? generation.model,
      size: entry ? `${entry.width}x${entry.height}` : `${generation.width}x${generation.height}`,
      file: entry?.file,
      cost: entry?.cost,
      variants: entry?.variants?.length,
      pick: entry?.variants ? (entry.pick ?? 0) + 1 : undefined,
    }
  })
  const notFresh = rows.filter(row => row.status !== 'fresh')
  const recorded: { name: string, entry: LockEntry }[] = []
  for (const item of plan) {
    if (item.entry)
      recorded.push({ name: item.name, entry: item.entry })
  }
  const spend = recordedSpend(recorded)

  if (flags.json) {
    ctx.reporter.line(JSON.stringify({ config: config.file, store: config.store, assets: rows, spend }, null, 2))
  }
  else {
    const width = rows.reduce((widest, row) => Math.max(widest, row.name.length), 0)
    const counts: Record<StatusRow['status'], number> = { fresh: 0, stale: 0, missing: 0, placeholder: 0 }
    const lines = rows.map((row) => {
      counts[row.status]++
      return statusLine(row, width)
    })
    lines.push(`${rows.length} asset${rows.length === 1 ? '' : 's'}: ${counts.fresh} fresh, ${counts.stale} stale, ${counts.missing} missing, ${counts.placeholder} placeholder`)
    if (spend.generations > 0)
      lines.push(spendLine(spend))
    if (notFresh.length > 0 && !isPlaceholderProvider(config))
      lines.push(`Run \`npx ai-assets generate\` to generate what is not fresh (\`--dry-run\` shows the cost first).`)
    // One write: a line at a time is a system call per asset.
    ctx.reporter.line(lines.join('\n'))
  }

  if (flags.check && notFresh.length > 0) {
    ctx.reporter.warn(`status --check: ${notFresh.length} of ${rows.length} asset${rows.length === 1 ? ' is' : 's are'} not fresh: ${notFresh.map(row => `${row.name} (${row.status})`).join(', ')}`)
    return EXIT_FAILURE
  }
  return EXIT_OK
}

/** One asset's line: its status, its name, and what there is to say about it, joined by ` · `. */
function statusLine(row: StatusRow, width: number): string {
  // Built as one string, not an array per row: `status` prints a thousand of them.
  let details = ''
  const add = (part: string | undefined) => {
    if (part)
      details = details === '' ? part : `${details} · ${part}`
  }
  if (row.status === 'fresh') {
    add(row.file)
    add(`${row.provider} ${row.model}`)
    add(row.size)
    if (row.cost !== undefined)
      add(formatUSD(row.cost))
    if (row.variants)
      add(`variant ${row.pick} of ${row.variants}`)
  }
  else {
    add(row.reason)
    add(row.note)
    if (row.cost !== undefined)
      add(`${formatUSD(row.cost)} recorded`)
  }
  return `${row.status.padEnd(11)}  ${row.name.padEnd(width)}  ${details}`.trimEnd()
}

/** What the lock entries record as paid: in total, per provider and per asset. */
export interface RecordedSpend {
  /** USD, summed over the entries that record a cost. */
  usd: number
  providers: Record<string, number>
  assets: Record<string, number>
  /** Entries with an image of their own (an asset sharing another's key records no cost of its own). */
  generations: number
  /** Of those, how many record no cost (the provider reported none). */
  unknown: number
}

export function recordedSpend(entries: { name: string, entry: LockEntry }[]): RecordedSpend {
  const spend: RecordedSpend = { usd: 0, providers: {}, assets: {}, generations: 0, unknown: 0 }
  // One image, one generation: assets of the same key share an entry's image, and only the one that paid records a cost.
  const generations = new Map<string, { name: string, entry: LockEntry }[]>()
  for (const item of entries) {
    const id = `${item.entry.key}:${item.entry.sha256}`
    const group = generations.get(id)
    if (group)
      group.push(item)
    else
      generations.set(id, [item])
  }
  for (const group of generations.values()) {
    spend.generations++
    const payer = group.find(({ entry }) => typeof entry.cost === 'number')
    if (!payer) {
      spend.unknown++
      continue
    }
    const { name, entry } = payer
    spend.usd = roundUSD(spend.usd + entry.cost!)
    spend.providers[entry.provider] = roundUSD((spend.providers[entry.provider] ?? 0) + entry.cost!)
    spend.assets[name] = roundUSD(entry.cost!)
  }
  return spend
}

function spendLine(spend: RecordedSpend): string {
  const providers = Object.entries(spend.providers).map(([name, usd]) => `${name} ${formatUSD(usd)}`)
  const unknown = spend.unknown > 0 ? `; ${spend.unknown} generation${spend.unknown === 1 ? '' : 's'} recorded no cost` : ''
  return `Recorded spend: ${formatUSD(spend.usd)}${providers.length > 0 ? ` (${providers.join(', ')})` : ''} over ${spend.generations} generation${spend.generations === 1 ? '' : 's'}${unknown}`
}
