/**
 * One paid generation of a key, once the key's lock is held and nothing in
 * the store, the lockfile or a journal can stand in for it: its slot in the
 * pipeline's queue, its provider calls, and recording what they gave in the
 * journal, the store and the lockfile.
 */
import type PQueue from 'p-queue'
import type { ResolvedAsset } from '../config/resolve'
import type { GenerateRequest } from '../providers/types'
import type { AnswerBurst } from './answer-burst'
import type { StyleContext } from './brand-styles'
import type { CallCosts } from './design-steps'
import type { JournalRecord } from './journal'
import type { LockEntry } from './lockfile'
import { readFile } from 'node:fs/promises'
import { recordInputs } from '../common/generation-key'
import { loadSharp } from '../common/sharp'
import { scrub, secretsOf } from '../providers/secrets'
import { afterGeneration, hasStepsAfter, styleFor, totalCost } from './design-steps'
import { completeJournal, removeJournal, startJournal } from './journal'
import { updateLockfile } from './lockfile'
import { prepareOriginal, storeOriginal } from './store'

/** What a paid generation needs of the pipeline: its config, its one queue, and the run's signal, env and warnings. */
export interface PaidGenerationContext extends StyleContext {
  /** The pipeline's one queue: a slot per paid generation. */
  queue: PQueue
  /** When a generation whose paid calls have answered goes on to download its images. */
  answers: AnswerBurst
}

/** What the caller of `ensureOriginal` hears of a paid generation. */
export interface GenerationHooks {
  /**
   * Called in the generation's queue slot, just before its first paid call;
   * never for an original from the store, shared with another asset of its
   * key, or drawn as a placeholder. Resolving to false leaves it unstarted:
   * nothing is paid and `ensureOriginal` throws NotStartedError.
   */
  onStart?: () => boolean | Promise<boolean>
  /**
   * Called once the generation has entered the queue, or waits for another
   * process that holds its key, or for another asset of its key: its local
   * checks are over, so the caller may let the next asset go ahead.
   */
  onWaiting?: () => void
  /** The generation enters the queue once this resolves (the caller's order), holding its key's lock meanwhile. */
  queueAfter?: Promise<void>
}

/** `onStart` said no (the budget): the generation was not started and nothing was paid. */
export class NotStartedError extends Error {
  override name = 'NotStartedError'
  constructor(readonly asset: string) {
    super(`"${asset}" was not started`)
  }
}

/** What a generation's paid calls gave: the images to store and what each kind of call cost. */
interface Answer {
  images: Buffer[]
  cost?: number
  costs: CallCosts
  styleId?: string
}

export async function pay(ctx: PaidGenerationContext, asset: ResolvedAsset, hooks: GenerationHooks): Promise<LockEntry> {
  const { config } = ctx
  // The last guard for "credentials never reach logs or errors": whatever a provider or a server put in a message.
  const secrets = secretsOf(config.credentials, ctx.env)
  const fail = (message: string) => new Error(scrub(`Provider "${config.name}" (${config.model}) could not generate "${asset.name}": ${message}`, secrets))
  let record: JournalRecord | undefined
  // Failures of the wait for a slot and of the calls are the provider's; of the hook and the journal, as they are.
  let phase = 'waiting' as 'waiting' | 'starting' | 'calling'
  let answer: Answer
  try {
    // One slot of the pipeline's queue per generation, from its first paid call to its last paid answer
    // (README "Settings every network provider takes"): the calls of one generation (its brand's style, the
    // generation, background removal, vectorize) go one after another, so `concurrency` bounds the provider
    // requests in flight, and the budget holds the estimate of every call the generation pays for. Waiting
    // for the key's lock is done before the slot, so that a slot never waits on another process. The slot is
    // given up when the provider says its last paid request has answered (`answered`): downloading and
    // decoding the images, and storing them, cost nothing, so the next generation's request goes out
    // meanwhile. A provider that never says so keeps the slot until its call resolves.
    await hooks.queueAfter
    const slot = ctx.queue.add(async () => {
      phase = 'starting'
      if (hooks.onStart && !await hooks.onStart())
        throw new NotStartedError(asset.name)
      record = startJournal(config.store, asset.key, asset.name)
      phase = 'calling'
      let release!: () => void
      const released = new Promise<void>((resolve) => { release = resolve })
      // The provider goes on to download once the next generation's request has left (answer-burst.ts).
      const answered = () => {
        release()
        return ctx.answers.settled()
      }
      const call = callProvider(ctx, asset, secrets, answered)
      // The race also handles `call`'s rejection until the caller awaits it.
      await Promise.race([released, call])
      return { call }
    }, { signal: ctx.signal })
    hooks.onWaiting?.()
    answer = await (await slot)!.call
  }
  catch (error) {
    // This process saw the call end: nothing for a later run to adopt or warn about.
    if (record)
      await removeJournal(config.store, asset.key)
    if (phase === 'starting')
      throw error
    throw fail((error as Error)?.message ?? String(error))
  }

  let prepared
  try {
    // The provider's own Buffer, not a copy: bytes it decoded already are not decoded again.
    prepared = await Promise.all(answer.images.map(bytes => prepareOriginal(asset.name, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes))))
  }
  catch (error) {
    await removeJournal(config.store, asset.key)
    throw fail((error as Error).message)
  }
  const stored = prepared.map(item => item.stored)
  const [first] = stored
  const { costs, styleId } = answer
  const entry: LockEntry = {
    key: asset.key,
    file: first!.file,
    sha256: first!.sha256,
    provider: config.name,
    // The asset's own model: `vector: true` picks the provider's vector model.
    model: asset.generation.model,
    width: first!.width,
    height: first!.height,
    createdAt: new Date().toISOString(),
    cost: answer.cost,
    // Where the cost went, when more than one call made the image.
    ...(Object.keys(costs).length > 1 ? { costs } : {}),
    ...(styleId ? { styleId } : {}),
    inputs: recordInputs(asset.generation),
    ...(stored.length > 1 ? { variants: stored.map(({ file, sha256 }) => ({ file, sha256 })), pick: 0 } : {}),
  }
  // Named before written: whatever reaches the store from here on is adopted if this process dies.
  await completeJournal(config.store, record!, entry)
  for (const item of prepared)
    await storeOriginal(config.store, item)
  await updateLockfile(config.store, (lock) => { lock[asset.name] = entry }, ctx.warn)
  await removeJournal(config.store, asset.key)
  return entry
}

/**
 * The paid calls of one generation, one after another: the brand's style, the
 * generation, the steps after it. `answered` goes to the last paid call.
 */
async function callProvider(ctx: PaidGenerationContext, asset: ResolvedAsset, secrets: ReturnType<typeof secretsOf>, answered: () => Promise<void>): Promise<Answer> {
  const { config } = ctx
  // A provider's warnings are log messages like any other: no credential, whole or in part, gets through.
  const warn = (message: string) => ctx.warn(scrub(message, secrets))
  const steps = { ...ctx, warn }
  const style = await styleFor(steps, asset)
  const req = { ...generationRequest(asset, asset.generation.variants, asset.imagePath ? await readFile(asset.imagePath) : undefined), styleId: style.styleId }
  const last = !hasStepsAfter(asset)
  const answer = config.provider.generate(req, { signal: ctx.signal, env: ctx.env, warn, ...(last ? { answered } : {}) })
  // Every generated image is decoded before it is stored: load sharp while the request is out
  // (not before: loading its native module holds up the event loop, and with it the request).
  void loadSharp()
  const result = await answer
  if (!result || !Array.isArray(result.images) || result.images.length === 0)
    throw new Error('the provider returned no image')
  const after = await afterGeneration(steps, asset, result.images, answered)
  const costs = Object.fromEntries(Object.entries({ generate: result.cost, createStyle: style.cost, ...after.costs }).filter(([, usd]) => usd !== undefined))
  return { images: after.images, cost: totalCost(costs), costs, styleId: style.styleId }
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
    ...(g.strength === undefined ? {} : { strength: g.strength }),
  }
}
