/**
 * Recraft V4.1 on Runware (README: Providers › Runware): a JSON array of tasks, answered
 * with `data` and/or `errors`. Sync delivery answers with the images; async
 * acknowledges and is polled with `getResponse`.
 */
import type { BuiltinProvider, BuiltinProviderSettings } from './builtin'
import type { Provider } from './types'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { factoryBasics } from './builtin'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, httpOptions, httpOptionsShape, mayHaveBilled, messageOf, postJSON, withBilledNote } from './http'
import { SIZES_1K, SIZES_2K } from './models'
import { checkOwnedOptions, checkSize, credential, dataURI, merge, rgb } from './wire'

const CREDENTIALS = ['RUNWARE_API_KEY'] as const
const DASHBOARD = 'your Runware dashboard (https://my.runware.ai)'

export const runware: BuiltinProvider = {
  defaultModel: 'recraft:v4.1@0',
  models: { 'recraft:v4.1@0': SIZES_1K, 'recraft:v4.1-pro@0': SIZES_2K },
  credentials: CREDENTIALS,
  ownedOptions: {
    taskType: 'nothing: the plugin sends an imageInference task',
    taskUUID: 'nothing: the plugin makes a new one per call, to match answers and recover lost ones',
    model: 'the provider\'s `model` setting',
    positivePrompt: 'the asset\'s `prompt`',
    width: 'the asset\'s `size`',
    height: 'the asset\'s `size`',
    numberResults: 'the asset\'s `variants`',
    referenceImages: 'the asset\'s `image` (a reference image file)',
    outputType: 'the provider\'s `outputType` setting',
    outputFormat: 'the provider\'s `outputFormat` setting',
    outputQuality: 'the provider\'s `outputQuality` setting',
    includeCost: 'the provider\'s `includeCost` setting',
    deliveryMethod: 'the provider\'s `delivery` setting',
  },
  options: {
    ...httpOptionsShape,
    delivery: z.enum(['sync', 'async']).optional(),
    outputType: z.enum(['URL', 'base64Data', 'dataURI']).optional(),
    outputFormat: z.enum(['JPG', 'PNG', 'WEBP']).optional(),
    outputQuality: z.number().int().min(20).max(99).optional(),
    includeCost: z.boolean().optional(),
    /** Async: wait before the first poll, in ms; each next wait is ×1.5. */
    pollInterval: z.number().int().min(0).optional(),
    /** Async: longest wait between two polls, in ms. */
    maxPollInterval: z.number().int().min(0).optional(),
    /** Async: give up on a task after this many ms. */
    pollTimeout: z.number().int().positive().optional(),
  },
  create: settings => createRunware(settings),
}

interface Item {
  taskType?: string
  taskUUID?: string
  status?: string
  imageUUID?: string
  imageURL?: string
  imageBase64Data?: string
  imageDataURI?: string
  cost?: number
  [field: string]: unknown
}

function createRunware(settings: BuiltinProviderSettings): Provider {
  const { model, sizes, baseURL } = factoryBasics(runware, settings, 'https://api.runware.ai/v1')
  const delivery = (settings.delivery as 'sync' | 'async' | undefined) ?? 'sync'
  // The official client's rhythm: first poll after 1 s, ×1.5 up to 10 s, 20 minutes in all.
  const pollInterval = (settings.pollInterval as number | undefined) ?? 1000
  const maxPollInterval = (settings.maxPollInterval as number | undefined) ?? 10_000
  const pollTimeout = (settings.pollTimeout as number | undefined) ?? 20 * 60_000
  return {
    name: 'runware',
    model,
    credentials: CREDENTIALS,
    sizes,
    async generate(request, { env, signal }) {
      const key = credential(env, 'RUNWARE_API_KEY')
      checkSize(sizes, model, request)
      checkOwnedOptions(runware.ownedOptions, 'runware', request)
      const http = httpOptions(settings, env, CREDENTIALS, DASHBOARD)
      const taskUUID = randomUUID()
      const post = (tasks: unknown[], how: { idempotent?: boolean, recoverable?: boolean }) =>
        postJSON(http, { url: baseURL, headers: { authorization: `Bearer ${key}` }, body: tasks, signal, ...how })

      const wireSettings = {
        ...(request.colors.length > 0 ? { colors: request.colors.map(rgb) } : {}),
        ...(request.background ? { backgroundColor: rgb(request.background) } : {}),
        // Inferred: V4.1's page lists no style; Runware keeps model settings here.
        ...(request.style ? { style: request.style } : {}),
        ...(request.substyle ? { substyle: request.substyle } : {}),
      }
      const task = merge({
        taskType: 'imageInference',
        taskUUID,
        model,
        positivePrompt: request.prompt,
        width: request.width,
        height: request.height,
        numberResults: request.variants,
        outputType: settings.outputType ?? 'URL',
        outputFormat: settings.outputFormat ?? 'PNG',
        ...(settings.outputQuality === undefined ? {} : { outputQuality: settings.outputQuality }),
        includeCost: settings.includeCost ?? true,
        deliveryMethod: delivery,
        ...(Object.keys(wireSettings).length > 0 ? { settings: wireSettings } : {}),
        // Inferred: Runware takes input images as data URIs in `referenceImages`.
        ...(request.image ? { referenceImages: [dataURI(request.image.bytes)] } : {}),
      }, request.providerOptions)

      // The task is posted once. When its answer is lost (a reset, a timeout, a
      // garbled body), the task may be running and billed: it is asked for by
      // its taskUUID with getResponse, never posted again.
      let items: Item[] = []
      let lost: HttpError | undefined
      try {
        items = finished(await post([task], { recoverable: true }), taskUUID)
      }
      catch (error) {
        if (!(error instanceof HttpError && mayHaveBilled(error)))
          throw error
        lost = error
      }
      if (delivery === 'async' || lost) {
        const deadline = Date.now() + pollTimeout
        let interval = pollInterval
        let wait = lost ? 0 : interval
        while (items.length < request.variants) {
          if (Date.now() + wait > deadline)
            throw new HttpError(`task ${taskUUID} was not finished after ${pollTimeout} ms of polling (pollTimeout)`)
          await sleep(wait, undefined, { signal })
          if (wait > 0)
            interval = Math.min(maxPollInterval, Math.max(1, interval * 1.5))
          wait = interval
          let answer
          try {
            // A poll only reads: it is safe to retry like any GET.
            answer = await post([{ taskType: 'getResponse', taskUUID }], { idempotent: true })
          }
          catch (error) {
            if (lost && error instanceof HttpError)
              throw new HttpError(withBilledNote(`task ${taskUUID} got no usable answer (${lost.message}), and asking for it by its taskUUID with getResponse did not recover it (${error.message})`, http), error.status)
            throw error
          }
          // Each poll answers every result so far, so the latest answer is the whole truth.
          items = finished(answer, taskUUID)
        }
      }
      if (items.length < request.variants)
        throw new HttpError(`HTTP 200 with ${items.length} of the ${request.variants} images asked for`, 200)

      const images = await afterPaidCall(http, () => Promise.all(items.slice(0, request.variants).map(item => imageOf(item, http, signal))))
      const costs = items.map(item => item.cost).filter((c): c is number => typeof c === 'number')
      return { images, cost: costs.length > 0 ? Math.round(costs.reduce((a, b) => a + b, 0) * 1e6) / 1e6 : undefined }
    },
  }
}

/**
 * The finished results of our task in an answer; throws on its errors.
 * `errors` may come beside `data`; an item may say `status: "error"`;
 * "processing" (older docs: "pending") items are not done yet.
 */
function finished(answer: unknown, taskUUID: string): Item[] {
  const body = answer as { data?: unknown, errors?: unknown } | null
  if (typeof body !== 'object' || body === null || (!Array.isArray(body.data) && !Array.isArray(body.errors)))
    throw new HttpError(`HTTP 200 without data or errors: ${excerpt(JSON.stringify(answer))}`, 200)
  const ours = (list: unknown) => (Array.isArray(list) ? list as Item[] : []).filter(item => item && (item.taskUUID === undefined || item.taskUUID === taskUUID))
  const errors = ours(body.errors)
  const failed = ours(body.data).filter(item => item.status === 'error')
  if (errors.length > 0 || failed.length > 0) {
    const message = messageOf({ errors }) ?? failed.map(item => messageOf(item) ?? excerpt(JSON.stringify(item))).join('; ')
    throw new HttpError(`HTTP 200 but the task failed: ${message}`, 200)
  }
  const done = ours(body.data).filter(item => item.taskType !== 'getResponse' && (item.status === undefined || item.status === 'success') && hasImage(item))
  // Deduplicate by imageUUID: a poll repeats what earlier polls returned.
  return [...new Map(done.map((item, i) => [item.imageUUID ?? i, item])).values()]
}

function hasImage(item: Item): boolean {
  return !!(item.imageURL || item.imageBase64Data || item.imageDataURI)
}

async function imageOf(item: Item, http: ReturnType<typeof httpOptions>, signal: AbortSignal): Promise<Buffer> {
  if (item.imageBase64Data)
    return decodeImage(item.imageBase64Data, 'imageBase64Data')
  if (item.imageDataURI)
    return decodeImage(item.imageDataURI, 'imageDataURI')
  return download(http, item.imageURL!, signal)
}
