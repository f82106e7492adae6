/**
 * A brand's style is made once, from its reference files, and reused by every
 * asset of the brand (README: Brand styles). The lockfile records it under `$styles`
 * (never an asset name: those are a–z, 0–9, `-`, `_` and `/`), keyed by the
 * sha256 of the provider, the style pool and every reference's sha256: a
 * changed reference gives a new key, so the style is made again, and an
 * unchanged brand never pays twice, across runs and processes.
 */
import type { Brand } from '../config/design-fields'
import type { ResolvedConfig } from '../config/resolve'
import type { GenerateContext } from '../providers/types'
import type { Lockfile } from './lockfile'
import { readFile } from 'node:fs/promises'
import { dirname, relative } from 'node:path'
import { canonicalJson } from '../common/canonical-json'
import { sha256 } from '../common/hash'
import { STYLES_KEY } from './lock-keys'
import { readLockfile, updateLockfile } from './lockfile'
import { ensureLocksDir, withLock } from './store-lock'

export { STYLES_KEY }

export interface StyleEntry {
  brand: string
  provider: string
  /** Recraft keeps raster and vector styles apart. */
  pool: 'raster' | 'vector'
  styleId: string
  /** The reference files, relative to the config's folder, with their sha256. */
  references: { file: string, sha256: string }[]
  createdAt: string
  /** USD, when the provider reports it. */
  cost?: number
}

/** The key a style is recorded under. */
export function styleKey(provider: string, brand: Brand, vector: boolean): string {
  return sha256(canonicalJson({ provider, pool: vector ? 'vector' : 'raster', references: brand.references.map(r => r.sha256) }))
}

export function stylesOf(lock: Lockfile): Record<string, StyleEntry> {
  return (lock as unknown as Record<string, Record<string, StyleEntry> | undefined>)[STYLES_KEY] ?? {}
}

export interface StyleContext {
  config: ResolvedConfig
  signal: AbortSignal
  env: GenerateContext['env']
  warn: GenerateContext['warn']
}

export interface EnsuredStyle {
  styleId: string
  /** What making it cost in this call; undefined when it was already recorded (or the provider said nothing). */
  cost?: number
  created: boolean
}

const inFlight = new Map<string, Promise<EnsuredStyle>>()

/** The recorded style of the brand, or a new one made by the provider and recorded. */
export function ensureStyle(ctx: StyleContext, brand: Brand, vector: boolean): Promise<EnsuredStyle> {
  const key = styleKey(ctx.config.name, brand, vector)
  const id = `${ctx.config.store}:${key}`
  const waiting = inFlight.get(id)
  // Another asset of the brand is making it: the style is shared, its cost is that asset's.
  if (waiting)
    return waiting.then(style => ({ styleId: style.styleId, created: false }))
  const promise = ensureLocksDir(ctx.config.store)
    .then(dir => withLock(dir, `style-${key}`, { label: `the style of brand "${brand.name}"`, warn: ctx.warn }, () => ensureLocked(ctx, brand, vector, key)))
    .finally(() => inFlight.delete(id))
  inFlight.set(id, promise)
  return promise
}

async function ensureLocked(ctx: StyleContext, brand: Brand, vector: boolean, key: string): Promise<EnsuredStyle> {
  const { config } = ctx
  const recorded = stylesOf(await readLockfile(config.store))[key]
  if (recorded)
    return { styleId: recorded.styleId, created: false }
  if (!config.provider.createStyle)
    throw new Error(`provider "${config.name}" cannot make a style for brand "${brand.name}"`)
  const references = await Promise.all(brand.references.map(async r => ({ ...r, bytes: await readFile(r.path) })))
  // In the slot of the generation that needs the style: it is that generation's first paid call.
  const made = await config.provider.createStyle!({ brand: brand.name, references, vector }, { signal: ctx.signal, env: ctx.env, warn: ctx.warn })
  const root = dirname(config.file)
  const entry: StyleEntry = {
    brand: brand.name,
    provider: config.name,
    pool: vector ? 'vector' : 'raster',
    styleId: made!.styleId,
    references: brand.references.map(r => ({ file: relative(root, r.path).split('\\').join('/'), sha256: r.sha256 })),
    createdAt: new Date().toISOString(),
    cost: made!.cost,
  }
  await updateLockfile(config.store, (lock) => {
    const table = lock as unknown as Record<string, Record<string, StyleEntry>>
    table[STYLES_KEY] = { ...table[STYLES_KEY], [key]: entry }
  }, ctx.warn)
  return { styleId: entry.styleId, cost: made!.cost, created: true }
}
