/** Runware as the README describes it (Providers › Runware): an array of tasks in, `data`/`errors` out, sync or async with getResponse. */
import type { FakeServer, ImageType, Reply } from './server'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { json, startFake } from './server'

const MODELS: Record<string, readonly string[]> = { 'recraft:v4.1@0': SIZES_1K, 'recraft:v4.1-pro@0': SIZES_2K }
export const RUNWARE_COST = { 'recraft:v4.1@0': 0.0384, 'recraft:v4.1-pro@0': 0.2304 } as Record<string, number>
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
  if (task.taskType !== 'imageInference')
    return { parameter: 'taskType', message: `Invalid taskType ${task.taskType}` }
  if (typeof task.taskUUID !== 'string' || !UUID_V4.test(task.taskUUID))
    return { parameter: 'taskUUID', message: 'Invalid value for taskUUID: must be a UUID v4' }
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

async function results(fake: FakeServer, task: any, status?: string): Promise<any[]> {
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
