/**
 * The bundler-agnostic core: config → original (store, provider or
 * placeholder) → derivatives. The plugin and the CLI both drive this one
 * pipeline; neither has a second path to an image.
 */
import type { LoadOptions } from '../config/load'
import type { ResolvedAsset, ResolvedConfig } from '../config/resolve'
import type { DerivedImage, Limit } from '../derive/index'
import type { PlaceholderPolicy } from '../types'
import type { LockEntry } from './lockfile'
import type { Original } from './originals'
import type { GenerationHooks } from './paid-generation'
import { setMaxListeners } from 'node:events'
import { availableParallelism } from 'node:os'
import { extname, join, relative } from 'node:path'
import PQueue from 'p-queue'
import { openImage } from '../common/sharp'
import { loadAssetsConfig } from '../config/load'
import { createDerivativeCache } from '../derive/cache'
import { deriveImage } from '../derive/index'
import { AnswerBurst } from './answer-burst'
import { derivativesDirOf } from './cache-dir'
import { ensureOriginal } from './originals'
import { planAssets, refuseFrozen, selectAssets } from './run-plan'

/** How a run treats the assets it is asked for: shared by the plugin, `generateAssets` and `ai-assets build`. */
export interface RunOptions {
  /** Never call a provider; fail listing every asset that is not fresh. @default `true` when the CI variable is set */
  frozen?: boolean
  /** Regenerate assets even when fresh. @default false */
  force?: boolean
  /** What happens when the provider has no credentials. @default 'warn' */
  placeholders?: PlaceholderPolicy
  /** Provider requests in flight at once. @default 4 */
  concurrency?: number
  /** Where credentials come from. @default process.env */
  env?: Record<string, string | undefined>
  /** Stops starting new generations and aborts provider requests. */
  signal?: AbortSignal
  /** Warnings (missing credentials…), each said once. @default console.warn */
  warn?: (message: string) => void
}

export interface PipelineOptions extends LoadOptions, RunOptions {
  /** The config already loaded by the caller, so that a command reads it once; else it is loaded from `config` and `root`. */
  loaded?: ResolvedConfig
  /** Assets whose images are made at once (each holds its decoded original); README "Plugin options". @default os.availableParallelism() */
  deriveConcurrency?: number
}

export interface AssetImage {
  asset: ResolvedAsset
  original: Original
  derived: DerivedImage
}

export type AssetsPipeline = ReturnType<typeof createPipeline>

/** CI=true, CI=1… turn frozen on; CI=false or CI=0 do not. */
export function isCI(env: Record<string, string | undefined> = process.env): boolean {
  return !!env.CI && env.CI !== 'false' && env.CI !== '0'
}

export function createPipeline(options: PipelineOptions = {}) {
  const env = options.env ?? process.env
  const frozen = options.frozen ?? isCI(env)
  // The one queue of the run's paid generations: a slot per generation, from its first paid call to its last answer (`pay` in paid-generation.ts).
  const queue = new PQueue({ concurrency: wholeNumberOption('concurrency', options.concurrency, 'provider requests in flight at once; default 4') ?? 4 })
  const answers = new AnswerBurst(queue)
  const limit = derivationBound(options.deriveConcurrency)
  const warned = new Set<string>()
  const warn = (message: string) => {
    if (!warned.has(message)) {
      warned.add(message)
      ;(options.warn ?? console.warn)(`[ai-assets] ${message}`)
    }
  }
  let current: Promise<ResolvedConfig> | undefined = options.loaded && Promise.resolve(options.loaded)
  // Entries this pipeline generated, by key: an asset of the same key reuses them, even with `force`.
  const generated = new Map<string, LockEntry>()

  const config = () => (current ??= loadAssetsConfig(options))

  // A build asks for each of its assets at once: by name, not by a list of every asset each time (selectAssets
  // throws the error that names an unknown one).
  const asset = async (name: string): Promise<ResolvedAsset> => {
    const resolved = await config()
    return resolved.assets.get(name) ?? selectAssets(resolved, [name])[0]!
  }

  // One context per config, not per asset: a cold build holds every imported asset's call while it waits
  // for its derivation slot, so what each call makes for itself counts a thousand times over.
  const signal = runSignal(options.signal)
  let made: { config: ResolvedConfig, context: ReturnType<typeof contextOf> } | undefined
  const contextOf = (resolved: ResolvedConfig) => ({
    config: resolved,
    cache: createDerivativeCache(derivativesDirOf(resolved)),
    generated,
    queue,
    answers,
    frozen,
    force: options.force ?? false,
    placeholders: options.placeholders ?? 'warn',
    env,
    signal,
    warn,
  })
  const context = async () => {
    const resolved = await config()
    if (made?.config !== resolved)
      made = { config: resolved, context: contextOf(resolved) }
    return made.context
  }

  return {
    config,
    /** Reads the config file anew (after an edit); the old config stays if the new one is invalid. */
    async reload(): Promise<ResolvedConfig> {
      const next = loadAssetsConfig(options)
      await next
      current = next
      return next
    },
    asset,
    /** In a frozen run, fails listing every asset that is not fresh. */
    async checkFrozen(): Promise<void> {
      if (!frozen)
        return
      const resolved = await config()
      refuseFrozen(resolved, (await planAssets(resolved, [...resolved.assets.values()], { env, force: options.force })).plan)
    },
    /**
     * The original of one asset; `generated` says when this call paid for it.
     * `hooks.onStart` is called when its paid generation takes its queue slot.
     */
    async original(name: string, hooks?: GenerationHooks): Promise<Original> {
      return ensureOriginal(await context(), await asset(name), hooks)
    },
    /** The original and every derivative of one asset. */
    async image(name: string): Promise<AssetImage> {
      const ctx = await context()
      const found = await asset(name)
      const original = await ensureOriginal(ctx, found)
      try {
        const format = original.entry && extname(original.entry.file).slice(1)
        const derived = await deriveImage({ ...original, format, output: found.output, cache: ctx.cache, limit })
        return { asset: found, original, derived }
      }
      catch (error) {
        throw await explainDeriveFailure(ctx.config, found, original, error)
      }
    },
  }
}

/**
 * The one bound on derivation, shared by everything that derives through
 * this pipeline (the plugin's imports, `ai-assets build`): a bundler loads
 * every imported asset at once, and without it every original would be read
 * and decoded at once. Only the work that decodes and encodes takes a slot;
 * cache reads do not wait. Each slot decodes one original and encodes its
 * outputs in parallel; sharp runs each on one of libuv's threads (4 unless
 * `UV_THREADPOOL_SIZE` says otherwise) with `sharp.concurrency()` libvips
 * threads (1 on glibc without jemalloc, to limit fragmentation), so that
 * pool, not this bound, caps the encodes at once. One slot per core keeps it
 * fed (a slot's encodes, AVIF above all, take most of its time; it waits on I/O
 * and JavaScript between them) while holding at most one decoded original
 * (width × height × 4 bytes) per core.
 */
function derivationBound(concurrency: number | undefined): Limit {
  const queue = new PQueue({ concurrency: wholeNumberOption('deriveConcurrency', concurrency, `assets whose images are made at once; default ${availableParallelism()}, the number of cores`) ?? availableParallelism() })
  return work => queue.add(work)
}

/** A bound given as an option: a whole number of 1 or more, else one message naming the option (p-queue's own names neither). */
function wholeNumberOption(name: string, value: unknown, what: string): number | undefined {
  if (value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 1))
    return value
  throw new TypeError(`[ai-assets] option \`${name}\` must be a whole number of 1 or more (${what}), not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
}

/**
 * A derivative failed. Sharp's own message (`vipspng: libpng read error`)
 * names neither the asset nor the file: when the original itself does not
 * decode, say which store file is broken and how to replace it.
 */
async function explainDeriveFailure(config: ResolvedConfig, asset: ResolvedAsset, original: Original, error: unknown): Promise<unknown> {
  if (original.placeholder || !original.entry || !(error instanceof Error))
    return error
  const bytes = await original.load()
  try {
    // failOn 'error': libvips's own message (`libpng read error`), not "warning treated as error".
    await (await openImage(bytes, { failOn: 'error' })).raw().toBuffer()
  }
  catch (decodeError) {
    const file = relative(process.cwd(), join(config.store, original.entry.file))
    // libvips repeats lines of earlier errors of the process: each once, on one line.
    const why = [...new Set((decodeError as Error).message.split('\n').map(line => line.trim()).filter(Boolean))].join('; ')
    return new Error(`asset "${asset.name}": the store file ${file} does not decode (${why}). `
      + `Run \`npx ai-assets generate ${asset.name} --force\` to generate it again, or restore it from git.`)
  }
  error.message = `asset "${asset.name}": ${error.message}`
  return error
}

/**
 * The run's own signal, aborted with the caller's. Every request and download
 * in flight listens to it, so with a `concurrency` above 5 (requests, and the
 * downloads of those answered) there are more than Node's default of 10
 * listeners, and Node would warn of a memory leak where there is none. It
 * follows the caller's through AbortSignal.any, which adds no listener to the
 * caller's signal, however many pipelines share it.
 */
function runSignal(outer: AbortSignal | undefined): AbortSignal {
  const signal = outer ? AbortSignal.any([outer]) : new AbortController().signal
  setMaxListeners(0, signal)
  return signal
}
