/**
 * Getting an asset's original: from the store when fresh; otherwise from the
 * provider (once per key, across processes), or as an offline placeholder
 * when the provider is `placeholder` or has no credentials. Placeholders are
 * cached but never enter the store or the lockfile.
 */
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { DerivativeCache } from '../derive/cache'
import type { GenerateRequest } from '../providers/types'
import type { PlaceholderPolicy } from '../types'
import type { LockEntry } from './lockfile'
import type PQueue from 'p-queue'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadSharp, SHARP_VERSION } from '../shared/sharp'
import { placeholderProvider } from '../providers/placeholder/index'
import { recordInputs } from '../shared/generation-key'
import { readLockfile, updateLockfile, withLock } from './lockfile'
import { assetState, FrozenError, isPlaceholderProvider } from './plan'
import { sha256 } from '../shared/hash'
import { readOriginal, writeOriginal } from './store'
import { redact } from './redact'

export interface Original {
  sha256: string
  width: number
  height: number
  /** Reads the bytes (verified against sha256); only called when something must be derived. */
  load: () => Promise<Buffer>
  /** Drawn offline, not generated: never stored. */
  placeholder: boolean
  /** The lock entry, when it came from the store. */
  entry?: LockEntry
}

export interface OriginalsContext {
  config: ResolvedConfig
  cache: DerivativeCache
  cacheDir: string
  queue: PQueue
  frozen: boolean
  force: boolean
  placeholders: PlaceholderPolicy
  env: Record<string, string | undefined>
  signal: AbortSignal
  warn: (message: string) => void
  /** Called after each provider call, with its result, for summaries. */
  onGenerated?: (asset: ResolvedAsset, entry: LockEntry) => void
}

export async function ensureOriginal(ctx: OriginalsContext, asset: ResolvedAsset): Promise<Original> {
  const { config } = ctx
  if (isPlaceholderProvider(config))
    return placeholderOriginal(ctx, asset)

  const state = await assetState(config, asset, await readLockfile(config.store))
  if (state.status === 'fresh' && !ctx.force)
    return fromStore(config, state.entry!)
  if (ctx.frozen)
    throw new FrozenError([state], config)
  // Same key, bad file: someone's checkout lost or damaged it. Say so before paying for it again.
  if (state.entry?.key === asset.key && !ctx.force)
    ctx.warn(`"${asset.name}": ${state.reason}; generating it again.`)

  const missing = config.credentials.filter(name => !ctx.env[name])
  if (missing.length > 0) {
    const message = `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set, so provider "${config.name}" cannot generate "${asset.name}"`
    if (ctx.placeholders === 'error')
      throw new Error(`${message}. Set ${missing.join(' and ')} in the environment, or set placeholders: 'warn' to build with offline placeholders.`)
    if (ctx.placeholders === 'warn')
      ctx.warn(`${message}: using an offline placeholder (never stored). Set ${missing.join(' and ')} to generate the real image.`)
    return placeholderOriginal(ctx, asset)
  }
  return fromStore(config, await generate(ctx, asset))
}

function fromStore(config: ResolvedConfig, entry: LockEntry): Original {
  return {
    sha256: entry.sha256,
    width: entry.width,
    height: entry.height,
    placeholder: false,
    entry,
    load: async () => {
      const bytes = await readOriginal(config.store, entry.file, entry.sha256)
      if (!bytes)
        throw new Error(`${join(config.store, entry.file)} disappeared while building`)
      return bytes
    },
  }
}

async function placeholderOriginal(ctx: OriginalsContext, asset: ResolvedAsset): Promise<Original> {
  const key = `placeholder:${asset.name}:${asset.key}:${SHARP_VERSION}`
  let made = await ctx.cache.info<{ sha256: string }>(key)
  if (!made) {
    const [bytes] = (await placeholderProvider.generate(generationRequest(asset, 1), { signal: ctx.signal, env: {}, warn: ctx.warn })).images
    made = { sha256: sha256(bytes!) }
    await ctx.cache.put(key, bytes!, made)
  }
  const { width, height } = asset.generation
  return {
    sha256: made.sha256,
    width,
    height,
    placeholder: true,
    load: async () => (await ctx.cache.get<unknown>(key))!.data,
  }
}

// One generation per key in this process; the cross-process lock covers the others.
const inFlight = new Map<string, Promise<LockEntry>>()

function generate(ctx: OriginalsContext, asset: ResolvedAsset): Promise<LockEntry> {
  const id = `${ctx.config.store}:${asset.name}:${asset.key}`
  let promise = inFlight.get(id)
  if (!promise) {
    // Every generated image is decoded before it is stored: load sharp while the requests are out.
    void loadSharp()
    promise = withLock(join(ctx.cacheDir, 'locks', asset.key), () => generateLocked(ctx, asset))
      .finally(() => inFlight.delete(id))
    inFlight.set(id, promise)
  }
  return promise
}

async function generateLocked(ctx: OriginalsContext, asset: ResolvedAsset): Promise<LockEntry> {
  const { config } = ctx
  // Another process may have generated it while we waited for the lock.
  const state = await assetState(config, asset, await readLockfile(config.store))
  if (state.status === 'fresh' && !ctx.force)
    return state.entry!

  const fail = (message: string) => new Error(redact(`Provider "${config.name}" (${config.model}) could not generate "${asset.name}": ${message}`, config.credentials, ctx.env))
  let result
  try {
    const req = generationRequest(asset, asset.generation.variants, asset.imagePath ? await readFile(asset.imagePath) : undefined)
    // A provider's warnings are log messages like any other: no credential, whole or in part, gets through.
    const warn = (message: string) => ctx.warn(redact(message, config.credentials, ctx.env))
    result = await ctx.queue.add(() => config.provider.generate(req, { signal: ctx.signal, env: ctx.env, warn }), { signal: ctx.signal })
  }
  catch (error) {
    throw fail((error as Error)?.message ?? String(error))
  }
  if (!result || !Array.isArray(result.images) || result.images.length === 0)
    throw fail('the provider returned no image')

  const stored = []
  for (const bytes of result.images) {
    try {
      stored.push(await writeOriginal(config.store, asset.name, Buffer.from(bytes)))
    }
    catch (error) {
      throw fail((error as Error).message)
    }
  }
  const [first] = stored
  const entry: LockEntry = {
    key: asset.key,
    file: first!.file,
    sha256: first!.sha256,
    provider: config.name,
    model: config.model,
    width: first!.width,
    height: first!.height,
    createdAt: new Date().toISOString(),
    cost: result.cost,
    inputs: recordInputs(asset.generation),
    ...(stored.length > 1 ? { variants: stored.map(({ file, sha256 }) => ({ file, sha256 })), pick: 0 } : {}),
  }
  await updateLockfile(config.store, join(ctx.cacheDir, 'locks'), (lock) => {
    lock[asset.name] = entry
  })
  ctx.onGenerated?.(asset, entry)
  return entry
}

/** What a provider is asked for an asset (the placeholder and the CLI preview ask the same). */
export function generationRequest(asset: ResolvedAsset, variants: number, image?: Buffer): GenerateRequest {
  const g = asset.generation
  return {
    asset: asset.name,
    model: g.model,
    prompt: g.prompt,
    width: g.width,
    height: g.height,
    colors: g.colors,
    background: g.background,
    style: g.style,
    substyle: g.substyle,
    image: image && asset.imagePath ? { path: asset.imagePath, bytes: image, sha256: g.image! } : undefined,
    variants,
    providerOptions: g.providerOptions,
  }
}
