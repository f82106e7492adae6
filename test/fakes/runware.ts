/** Runware as the README describes it (Providers › Runware): an array of tasks in, `data`/`errors` out, sync or async with getResponse. */
import type { FakeServer, ImageType, Reply } from './server'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { json, startFake } from './server'
import { removeBackground, vectorImage, vectorize } from './tools'

const MODELS: Record<string, readonly string[]> = { 'recraft:v4.1@0': SIZES_1K, 'recraft:v4.1-pro@0': SIZES_2K }
/** Text → SVG models: `vectorize` tasks with a prompt, no numberResults. */
const VECTOR_MODELS: Record<string, readonly string[]> = { 'recraft:v4@vector': SIZES_1K, 'recraft:v4-pro@vector': SIZES_2K }
const REMOVE_BACKGROUND_MODELS = /^(?:runware:109@1|runware:110@1|runware:112@(?:[1-9]|10)|bria:2@1)$/
export const RUNWARE_COST = {
  'recraft:v4.1@0': 0.0384,
  'recraft:v4.1-pro@0': 0.2304,
  'recraft:v4@vector': 0.08,
  'recraft:v4-pro@vector': 0.3,
  'recraft:1@1': 0.01,
  'removeBackground': 0.0019,
} as Record<string, number>
const FORMATS: Record<string, ImageType> = { JPG: 'jpeg', PNG: 'png', WEBP: 'webp' }
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function runwareError(status: number, message: string, extra: Record<string, unknown> = {}): Reply {
  const code = ({ 400: 'invalidParameter', 401: 'invalidApiKey', 402: 'insufficientCredits', 403: 'forbidden', 429: 'queueFull', 500: 'internalError', 503: 'serviceUnavailable', 504: 'timeoutExceeded' } as Record<number, string>)[status] ?? 'unknown'
  return json(status, { errors: [{ code, message, ...extra }] })
}

interface AsyncTask { task: any, polls: number, items?: any[] }

/**
 * `asyncPolls`: how many getResponse polls answer "processing" before an async
 * task succeeds. Every task is kept by its taskUUID, sync ones too, so that a
 * client whose answer was lost can ask for it with getResponse (inferred:
 * Runware's docs describe getResponse for async delivery).
 */
export async function startRunwareFake(apiKey: string, options: { asyncPolls?: number } = {}): Promise<FakeServer & { tasks: Map<string, AsyncTask> }> {
  const tasks = new Map<string, AsyncTask>()
  const fake = await startFake({
    errorReply: (status, message) => runwareError(status, message),
    async api(req, fake) {
      if (req.method !== 'POST' || req.path !== '/v1')
        return runwareError(404, `Not found: ${req.path}`)
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        // The worst case for secrets: a server that echoes the key it was given.
        return runwareError(401, `Invalid API key: ${req.headers.authorization?.replace(/^Bearer /, '')}. Get one at https://my.runware.ai/signup`, { parameter: 'apiKey', taskType: 'imageInference' })
      }
      if (!Array.isArray(req.json))
        return runwareError(400, 'The request body must be a JSON array of tasks.')
      const data: any[] = []
      for (const task of req.json) {
        if (task.taskType === 'getResponse') {
          const entry = tasks.get(task.taskUUID)
          if (!entry)
            return runwareError(400, `Unknown taskUUID ${task.taskUUID}`, { parameter: 'taskUUID', taskType: 'getResponse' })
          entry.polls++
          const failure = fake.takeFault(['task-error'])
          if (failure?.kind === 'task-error') {
            const message = failure.message ?? 'Inference failed: the model could not produce an image'
            return json(200, { data: [{ taskType: 'imageInference', taskUUID: task.taskUUID, status: 'error' }], errors: [{ code: 'inferenceError', message, taskType: 'imageInference', taskUUID: task.taskUUID }] })
          }
          if (!entry.items && entry.polls <= (options.asyncPolls ?? 1)) {
            data.push({ taskType: 'imageInference', taskUUID: task.taskUUID, status: 'processing' })
            continue
          }
          entry.items ??= await results(fake, entry.task, 'success')
          data.push(...entry.items)
          continue
        }
        const invalid = validate(task)
        if (invalid)
          return runwareError(400, invalid.message, { parameter: invalid.parameter, taskType: task.taskType, taskUUID: task.taskUUID })
        if (task.deliveryMethod === 'async') {
          tasks.set(task.taskUUID, { task, polls: 0 })
          data.push({ taskType: 'imageInference', taskUUID: task.taskUUID })
        }
        else {
          const items = await results(fake, task)
          tasks.set(task.taskUUID, { task, polls: 0, items })
          data.push(...items)
        }
      }
      return json(200, { data })
    },
  })
  return Object.assign(fake, { tasks })
}

function validate(task: any): { parameter: string, message: string } | undefined {
  if (typeof task.taskUUID !== 'string' || !UUID_V4.test(task.taskUUID))
    return { parameter: 'taskUUID', message: 'Invalid value for taskUUID: must be a UUID v4' }
  if (task.taskType === 'vectorize' || task.taskType === 'removeBackground')
    return validateTool(task)
  if (task.taskType !== 'imageInference')
    return { parameter: 'taskType', message: `Invalid taskType ${task.taskType}` }
  const sizes = MODELS[task.model]
  if (!sizes)
    return { parameter: 'model', message: `Invalid value for model: ${task.model}` }
  if (typeof task.positivePrompt !== 'string' || task.positivePrompt.length < 1 || task.positivePrompt.length > 10000)
    return { parameter: 'positivePrompt', message: 'Invalid value for positivePrompt: 1 to 10000 characters' }
  if (!sizes.includes(`${task.width}x${task.height}`))
    return { parameter: 'width', message: `Invalid value for width/height: ${task.width}x${task.height} is not supported by ${task.model}` }
  const n = task.numberResults ?? 1
  if (!Number.isInteger(n) || n < 1 || n > 20)
    return { parameter: 'numberResults', message: 'Invalid value for numberResults: 1 to 20' }
  if (task.outputType !== undefined && !['URL', 'base64Data', 'dataURI'].includes(task.outputType))
    return { parameter: 'outputType', message: `Invalid value for outputType: ${task.outputType}` }
  if (task.outputFormat !== undefined && !(task.outputFormat in FORMATS))
    return { parameter: 'outputFormat', message: `Invalid value for outputFormat: ${task.outputFormat}` }
  if (task.deliveryMethod !== undefined && !['sync', 'async'].includes(task.deliveryMethod))
    return { parameter: 'deliveryMethod', message: `Invalid value for deliveryMethod: ${task.deliveryMethod}` }
  return undefined
}

/** `vectorize` (text → SVG with a vector model, or raster → SVG with recraft:1@1) and `removeBackground`, as the current schema has them. */
function validateTool(task: any): { parameter: string, message: string } | undefined {
  if (task.outputType !== undefined && !['URL', 'base64Data', 'dataURI'].includes(task.outputType))
    return { parameter: 'outputType', message: `Invalid value for outputType: ${task.outputType}` }
  if (task.settings !== undefined && task.taskType === 'vectorize')
    return { parameter: 'settings', message: 'Invalid parameter settings: Recraft settings go in providerSettings.recraft' }
  if (task.numberResults !== undefined && task.taskType === 'vectorize')
    return { parameter: 'numberResults', message: 'Invalid parameter numberResults for vectorize' }
  if (task.taskType === 'vectorize' && (task.outputFormat ?? 'SVG') !== 'SVG')
    return { parameter: 'outputFormat', message: `Invalid value for outputFormat: ${task.outputFormat} (SVG only)` }
  if (task.taskType === 'removeBackground' && !['JPG', 'PNG', 'WEBP', undefined].includes(task.outputFormat))
    return { parameter: 'outputFormat', message: `Invalid value for outputFormat: ${task.outputFormat}` }
  if (task.taskType === 'vectorize' && VECTOR_MODELS[task.model]) {
    if (typeof task.positivePrompt !== 'string' || task.positivePrompt.length < 1)
      return { parameter: 'positivePrompt', message: 'Invalid value for positivePrompt' }
    if (task.width !== undefined && !VECTOR_MODELS[task.model]!.includes(`${task.width}x${task.height}`))
      return { parameter: 'width', message: `Invalid value for width/height: ${task.width}x${task.height} is not supported by ${task.model}` }
    return undefined
  }
  const valid = task.taskType === 'vectorize' ? task.model === 'recraft:1@1' || task.model === 'picsart:1@1' : REMOVE_BACKGROUND_MODELS.test(task.model)
  if (!valid)
    return { parameter: 'model', message: `Invalid value for model: ${task.model}` }
  if (typeof task.inputs?.image !== 'string' || task.inputs.image === '')
    return { parameter: 'inputs.image', message: 'Missing parameter inputs.image' }
  return undefined
}

/** An image given as a data URI or bare base64 (the fake hosts no uploads). */
function inputImage(value: string): Buffer {
  return Buffer.from(value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value, 'base64')
}

async function results(fake: FakeServer, task: any, status?: string): Promise<any[]> {
  if (task.taskType !== 'imageInference')
    return [await toolResult(fake, task, status)]
  const type = FORMATS[task.outputFormat ?? 'JPG']!
  const items = []
  for (let i = 0; i < (task.numberResults ?? 1); i++) {
    const bytes = await fake.image(task.width, task.height, type)
    const outputType = task.outputType ?? 'URL'
    items.push({
      taskType: 'imageInference',
      taskUUID: task.taskUUID,
      ...(status ? { status } : {}),
      imageUUID: crypto.randomUUID(),
      ...(outputType === 'URL' ? { imageURL: fake.host(bytes, type) } : {}),
      ...(outputType === 'base64Data' ? { imageBase64Data: bytes.toString('base64') } : {}),
      ...(outputType === 'dataURI' ? { imageDataURI: `data:image/${type};base64,${bytes.toString('base64')}` } : {}),
      seed: 1000 + i,
      NSFWContent: false,
      ...(task.includeCost ? { cost: RUNWARE_COST[task.model] } : {}),
    })
  }
  return items
}

async function toolResult(fake: FakeServer, task: any, status?: string): Promise<any> {
  let made: { bytes: Buffer, type: 'png' | 'svg' }
  if (task.taskType === 'removeBackground')
    made = await removeBackground(inputImage(task.inputs.image))
  else if (VECTOR_MODELS[task.model])
    made = { bytes: vectorImage(fake, task.width ?? 1024, task.height ?? 1024), type: 'svg' }
  else
    made = { bytes: await vectorize(fake, inputImage(task.inputs.image)), type: 'svg' }
  const outputType = task.outputType ?? 'URL'
  const mime = made.type === 'svg' ? 'image/svg+xml' : 'image/png'
  return {
    taskType: task.taskType,
    taskUUID: task.taskUUID,
    ...(status ? { status } : {}),
    imageUUID: crypto.randomUUID(),
    ...(outputType === 'URL' ? { imageURL: fake.host(made.bytes, made.type) } : {}),
    ...(outputType === 'base64Data' ? { imageBase64Data: made.bytes.toString('base64') } : {}),
    ...(outputType === 'dataURI' ? { imageDataURI: `data:${mime};base64,${made.bytes.toString('base64')}` } : {}),
    ...(task.includeCost ? { cost: RUNWARE_COST[task.taskType === 'removeBackground' ? 'removeBackground' : task.model] } : {}),
  }
}
