/**
 * Recraft V4.1 on Runware (README: Providers › Runware): a JSON array of tasks, answered
 * with `data` and/or `errors`. Sync delivery answers with the images; async
 * acknowledges and is polled with `getResponse` (task.ts). Vector models are
 * `vectorize` tasks with their colours under `providerSettings.recraft`;
 * background removal and vectorize are tasks of their own.
 */
import type { BuiltinProvider, BuiltinProviderSettings } from '../builtin'
import type { GenerateContext, GenerateRequest, Provider } from '../types'
import type { TaskCall } from './task'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { factoryBasics } from '../builtin'
import { httpOptions, httpOptionsShape } from '../http'
import { isVectorModel, SIZES_1K, SIZES_2K } from '../models'
import { checkOwnedOptions, checkSize, credential, dataURI, merge, rgb } from '../wire'
import { runTask } from './task'

const CREDENTIALS = ['RUNWARE_API_KEY'] as const
const DASHBOARD = 'your Runware dashboard (https://my.runware.ai)'

export const runware: BuiltinProvider = {
  defaultModel: 'recraft:v4.1@0',
  models: {
    'recraft:v4.1@0': SIZES_1K,
    'recraft:v4.1-pro@0': SIZES_2K,
    // Runware has no V4.1 vector model: V4's are the vector models of each tier.
    'recraft:v4@vector': SIZES_1K,
    'recraft:v4-pro@vector': SIZES_2K,
  },
  vectorModels: {
    'recraft:v4.1@0': 'recraft:v4@vector',
    'recraft:v4.1-pro@0': 'recraft:v4-pro@vector',
    'recraft:v4@vector': 'recraft:v4@vector',
    'recraft:v4-pro@vector': 'recraft:v4-pro@vector',
  },
  // No SVG input is documented for removeBackground, so no `transparent-svg`; no style creation.
  capabilities: ['vector', 'transparent', 'vectorize'],
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
    inputs: 'the asset\'s `image`, `transparent` and `vectorize`',
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
    /** Model of the `removeBackground` task (`transparent: true`). @default 'runware:112@5' */
    removeBackgroundModel: z.string().min(1).optional(),
  },
  create: settings => createRunware(settings),
}

function createRunware(settings: BuiltinProviderSettings): Provider {
  const { baseURL } = factoryBasics(runware, settings, 'https://api.runware.ai/v1')
  const outputType = (settings.outputType as string | undefined) ?? 'URL'
  const common = {
    outputType,
    includeCost: settings.includeCost ?? true,
    deliveryMethod: (settings.delivery as 'sync' | 'async' | undefined) ?? 'sync',
  }
  const call = (env: Record<string, string | undefined>, signal: AbortSignal): TaskCall => ({
    http: httpOptions(settings, env, CREDENTIALS, DASHBOARD),
    baseURL,
    key: credential(env, 'RUNWARE_API_KEY'),
    signal,
    delivery: common.deliveryMethod,
    // The official client's rhythm: first poll after 1 s, ×1.5 up to 10 s, 20 minutes in all.
    pollInterval: (settings.pollInterval as number | undefined) ?? 1000,
    maxPollInterval: (settings.maxPollInterval as number | undefined) ?? 10_000,
    pollTimeout: (settings.pollTimeout as number | undefined) ?? 20 * 60_000,
  })
  // One image in, one image out: the tools take the image in `inputs.image`, as the current schema says.
  const tool = async (taskType: string, model: string, outputFormat: string, image: Buffer, { env, signal, answered }: GenerateContext) => {
    const { images, cost } = await runTask({ ...call(env, signal), answered }, { taskType, taskUUID: randomUUID(), model, inputs: { image: dataURI(image) }, outputFormat, ...common }, 1)
    return { image: images[0]!, cost }
  }
  return {
    name: 'runware',
    model: settings.model,
    credentials: CREDENTIALS,
    sizes: runware.models[settings.model],
    async generate(request, { env, signal, answered }) {
      const model = Object.hasOwn(runware.models, request.model) ? request.model : settings.model
      checkSize(runware.models[model], model, request)
      checkOwnedOptions(runware.ownedOptions, 'runware', request)
      const task = call(env, signal)
      if (!isVectorModel(runware.vectorModels, model))
        return runTask({ ...task, answered }, imageInference(settings, model, request, common), request.variants)

      // A vectorize task has no numberResults: one task per variant, one after another
      // (so that an asset holds one `concurrency` slot).
      const images: Buffer[] = []
      let cost: number | undefined
      for (let i = 0; i < request.variants; i++) {
        const made = await runTask(i === request.variants - 1 ? { ...task, answered } : task, vectorTask(model, request, common), 1)
        images.push(...made.images)
        cost = made.cost === undefined ? cost : (cost ?? 0) + made.cost
      }
      return { images, cost: cost === undefined ? undefined : Math.round(cost * 1e6) / 1e6 }
    },
    removeBackground: (request, context) =>
      // PNG: Runware's docs say the other formats lose the transparency.
      tool('removeBackground', (settings.removeBackgroundModel as string | undefined) ?? 'runware:112@5', 'PNG', request.image, context),
    vectorize: (request, context) => tool('vectorize', 'recraft:1@1', 'SVG', request.image, context),
  }
}

function imageInference(settings: BuiltinProviderSettings, model: string, request: GenerateRequest, common: Record<string, unknown>) {
  const wireSettings = {
    ...(request.colors.length > 0 ? { colors: request.colors.map(rgb) } : {}),
    ...(request.background ? { backgroundColor: rgb(request.background) } : {}),
    // Inferred: V4.1's page lists no style; Runware keeps model settings here.
    ...(request.style ? { style: request.style } : {}),
    ...(request.substyle ? { substyle: request.substyle } : {}),
  }
  return merge({
    taskType: 'imageInference',
    taskUUID: randomUUID(),
    model,
    positivePrompt: request.prompt,
    width: request.width,
    height: request.height,
    numberResults: request.variants,
    ...common,
    outputFormat: settings.outputFormat ?? 'PNG',
    ...(settings.outputQuality === undefined ? {} : { outputQuality: settings.outputQuality }),
    ...(Object.keys(wireSettings).length > 0 ? { settings: wireSettings } : {}),
    // Inferred: Runware takes input images as data URIs in `referenceImages`.
    ...(request.image ? { referenceImages: [dataURI(request.image.bytes)] } : {}),
  }, request.providerOptions) as Record<string, unknown> & { taskUUID: string }
}

/** Text to SVG: a `vectorize` task whose palette goes under `providerSettings.recraft`, not `settings`. */
function vectorTask(model: string, request: GenerateRequest, common: Record<string, unknown>) {
  const recraft = {
    ...(request.colors.length > 0 ? { colors: request.colors.map(rgb) } : {}),
    ...(request.background ? { backgroundColor: rgb(request.background) } : {}),
    ...(request.styleId ? { styleId: request.styleId } : {}),
  }
  return merge({
    taskType: 'vectorize',
    taskUUID: randomUUID(),
    model,
    positivePrompt: request.prompt,
    width: request.width,
    height: request.height,
    outputFormat: 'SVG',
    ...common,
    ...(Object.keys(recraft).length > 0 ? { providerSettings: { recraft } } : {}),
  }, request.providerOptions) as Record<string, unknown> & { taskUUID: string }
}
