/**
 * `ai-assets preview [--out FILE]`: one self-contained HTML contact sheet of
 * every asset and each of its variants, with its prompt, palette swatches,
 * size, status, provider and cost. Images are inlined as small WebP data URLs,
 * so the file opens from disk and can be attached to a review. Nothing is
 * generated: an asset that was never generated shows its offline placeholder.
 */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { PlannedAsset } from '../core/run-plan'
import type { CommandContext, GlobalFlags } from './context'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import sharp from 'sharp'
import writeFileAtomic from 'write-file-atomic'
import { toHex } from '../common/colors'
import { loadAssetsConfig } from '../config/load'
import { formatUSD } from '../core/cost'
import { generationRequest } from '../core/originals'
import { planAssets } from '../core/run-plan'
import { isIntact } from '../core/store'
import { drawPlaceholder } from '../providers/placeholder/index'
import { loadOptions } from './context'
import { EXIT_OK, UsageError } from './errors'

export interface PreviewFlags extends GlobalFlags {
  out?: unknown
}

export const DEFAULT_PREVIEW = 'ai-assets-preview.html'
/** Longest side of an inlined thumbnail. */
const THUMBNAIL = 384

interface Tile {
  label: string
  picked: boolean
  dataUrl: string
  /** Shown instead of the real image (drawn offline). */
  placeholder: boolean
}

interface Card {
  asset: ResolvedAsset
  item: PlannedAsset
  tiles: Tile[]
}

const escape = (text: string) => text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!)

async function thumbnail(bytes: Buffer): Promise<string> {
  const data = await sharp(bytes).resize({ width: THUMBNAIL, height: THUMBNAIL, fit: 'inside', withoutEnlargement: true }).webp({ quality: 72 }).toBuffer()
  return `data:image/webp;base64,${data.toString('base64')}`
}

async function placeholderTile(asset: ResolvedAsset, label: string): Promise<Tile> {
  const bytes = await drawPlaceholder(generationRequest(asset, 1))
  return { label, picked: false, dataUrl: await thumbnail(bytes), placeholder: true }
}

async function tilesOf(config: ResolvedConfig, asset: ResolvedAsset, item: PlannedAsset): Promise<Tile[]> {
  const entry = item.entry
  if (item.status === 'placeholder' || !entry)
    return [await placeholderTile(asset, item.status === 'placeholder' ? 'offline placeholder' : 'not generated yet: offline placeholder')]
  const files = entry.variants ?? [{ file: entry.file, sha256: entry.sha256 }]
  return Promise.all(files.map(async (file, index) => {
    const label = files.length > 1 ? `variant ${index + 1} of ${files.length}` : file.file
    if (!await isIntact(config, file.file, file.sha256))
      return placeholderTile(asset, `${file.file} is missing or corrupted`)
    return { label, picked: files.length > 1 && file.file === entry.file, dataUrl: await thumbnail(await readFile(join(config.store, file.file))), placeholder: false }
  }))
}

const STATUS_COLORS: Record<string, string> = { fresh: '#15803d', stale: '#b45309', missing: '#b91c1c', placeholder: '#6d28d9' }

function cardHtml({ asset, item, tiles }: Card): string {
  const g = asset.generation
  const entry = item.entry
  const swatches = [
    ...g.colors.map(color => `<span class="swatch" style="background:${toHex(color)}" title="${toHex(color)}"></span>`),
    ...(g.background ? [`<span class="swatch bg" style="background:${toHex(g.background)}" title="background ${toHex(g.background)}"></span>`] : []),
  ].join('')
  const cost = entry?.cost !== undefined
    ? formatUSD(entry.cost)
    : item.estimate.usd !== undefined ? `~${formatUSD(item.estimate.usd)} (estimate)` : 'unknown'
  const rows: [string, string][] = [
    ['Size', `${g.width}×${g.height}${g.variants > 1 ? ` · ${g.variants} variants` : ''}`],
    ['Palette', `${swatches || '<span class="muted">none</span>'}${asset.palette ? ` <span class="muted">${escape(asset.palette)}</span>` : ''}`],
    ['Provider', `${escape(entry?.provider ?? g.provider)} <span class="muted">${escape(entry?.model ?? g.model)}</span>`],
    ['Cost', escape(cost)],
  ]
  if (g.style)
    rows.push(['Style', escape(`${g.style}${g.substyle ? ` / ${g.substyle}` : ''}`)])
  if (asset.output.alt)
    rows.push(['Alt', escape(asset.output.alt)])
  if (entry)
    rows.push(['Created', escape(entry.createdAt)])
  const images = tiles.map(tile => `<figure class="${tile.picked ? 'picked' : ''}">
      <img src="${tile.dataUrl}" alt="${escape(`${asset.name}: ${tile.label}`)}" loading="eager">
      <figcaption>${escape(tile.label)}${tile.picked ? ' · <b>picked</b>' : ''}</figcaption>
    </figure>`).join('\n    ')
  const reason = item.status !== 'fresh' && item.reason ? `<p class="reason">${escape(item.reason)}${item.note ? `; ${escape(item.note)}` : ''}</p>` : ''
  const pickHint = tiles.length > 1 ? `<p class="muted">Choose with <code>npx ai-assets pick ${escape(asset.name)} N</code></p>` : ''
  return `<article id="${escape(asset.name)}">
  <header><h2>${escape(asset.name)}</h2><span class="status" style="background:${STATUS_COLORS[item.status]}">${item.status}</span></header>
  ${reason}
  <div class="images" style="--columns:${Math.min(tiles.length, 3)}">
    ${images}
  </div>
  ${pickHint}
  <blockquote class="prompt">${escape(g.prompt)}</blockquote>
  <dl>${rows.map(([key, value]) => `<dt>${key}</dt><dd>${value}</dd>`).join('')}</dl>
</article>`
}

export function pageHtml(config: ResolvedConfig, cards: Card[], cwd: string): string {
  const count = (status: string) => cards.filter(card => card.item.status === status).length
  const spent = cards.reduce((sum, card) => sum + (card.item.entry?.cost ?? 0), 0)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ai-assets preview · ${escape(relative(cwd, config.file) || config.file)}</title>
<style>
  :root { color-scheme: light; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #f3f4f6; }
  body { margin: 0; padding: 24px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .summary { color: #4b5563; margin: 0 0 20px; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; }
  article { background: #fff; border-radius: 10px; padding: 14px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  article header { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
  h2 { font-size: 16px; margin: 0; font-family: ui-monospace, monospace; }
  .status { color: #fff; border-radius: 999px; padding: 1px 10px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .reason { color: #92400e; background: #fffbeb; border-radius: 6px; padding: 4px 8px; margin: 8px 0 0; }
  .images { display: grid; grid-template-columns: repeat(var(--columns, 1), minmax(0, 1fr)); gap: 8px; margin: 10px 0; align-items: start; }
  figure { margin: 0; border: 2px solid transparent; border-radius: 8px; padding: 2px; }
  figure.picked { border-color: #2563eb; }
  figure img { display: block; width: 100%; height: auto; max-height: 260px; object-fit: contain; border-radius: 6px; background: repeating-conic-gradient(#e5e7eb 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
  figcaption { font-size: 12px; color: #6b7280; margin-top: 4px; overflow-wrap: anywhere; }
  .prompt { margin: 8px 0; padding: 6px 10px; border-left: 3px solid #d1d5db; color: #374151; white-space: pre-wrap; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
  dt { color: #6b7280; }
  dd { margin: 0; }
  .swatch { display: inline-block; width: 18px; height: 18px; border-radius: 4px; margin-right: 4px; vertical-align: middle; border: 1px solid rgb(0 0 0 / 0.15); }
  .swatch.bg { border-style: dashed; }
  .muted { color: #6b7280; }
  code { background: #f3f4f6; padding: 0 4px; border-radius: 4px; }
</style>
</head>
<body>
<h1>ai-assets · ${cards.length} asset${cards.length === 1 ? '' : 's'}</h1>
<p class="summary">${count('fresh')} fresh · ${count('stale')} stale · ${count('missing')} missing · ${count('placeholder')} placeholder · recorded cost ${formatUSD(spent)} · provider ${escape(config.name)} ${escape(config.model)} · ${escape(new Date().toISOString())}</p>
<main>
${cards.map(cardHtml).join('\n')}
</main>
</body>
</html>
`
}

export async function previewCommand(flags: PreviewFlags, ctx: CommandContext): Promise<number> {
  if (flags.out !== undefined && (typeof flags.out !== 'string' || flags.out === ''))
    throw new UsageError(`--out needs a file name, e.g. --out ${DEFAULT_PREVIEW}`)
  const config = await loadAssetsConfig(loadOptions(ctx, flags))
  const assets = [...config.assets.values()]
  const { plan } = await planAssets(config, assets, { env: ctx.env })
  ctx.reporter.start(assets.length)
  let done = 0
  let cards: Card[]
  try {
    // Thumbnails are small; a few at a time keeps memory low with 2K originals.
    cards = []
    for (let index = 0; index < assets.length; index += 4) {
      cards.push(...await Promise.all(assets.slice(index, index + 4).map(async (asset, offset) => {
        const item = plan[index + offset]!
        ctx.reporter.begin(asset.name)
        const tiles = await tilesOf(config, asset, item)
        ctx.reporter.end(asset.name, ++done)
        return { asset, item, tiles }
      })))
    }
  }
  finally {
    ctx.reporter.stop()
  }
  const out = resolve(ctx.cwd, (flags.out as string | undefined) ?? DEFAULT_PREVIEW)
  await mkdir(dirname(out), { recursive: true })
  await writeFileAtomic(out, pageHtml(config, cards, ctx.cwd))
  ctx.reporter.line(`Wrote ${relative(ctx.cwd, out) || out}: ${assets.length} asset${assets.length === 1 ? '' : 's'}, ${cards.reduce((n, card) => n + card.tiles.length, 0)} images. Open it in a browser.`)
  return EXIT_OK
}
