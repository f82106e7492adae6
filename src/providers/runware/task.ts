/**
 * One Runware task, start to finish: posted once, polled with `getResponse`
 * under async delivery, recovered by its taskUUID when the answer is lost
 * (never posted again: it may be running and billed), and its images read.
 */
import type { HttpOptions } from '../http'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, mayHaveBilled, messageOf, postJSON, withBilledNote } from '../http'

export interface Item {
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

export interface TaskCall {
  http: HttpOptions
  baseURL: string
  key: string
  signal: AbortSignal
  delivery: 'sync' | 'async'
  pollInterval: number
  maxPollInterval: number
  pollTimeout: number
  /** The task's results are all in: what is left is reading them (GenerateContext.answered). */
  answered?: () => Promise<void>
}

/** Runs `task` (which carries its own taskUUID) until `expected` results are in; their images and summed cost. */
export async function runTask(call: TaskCall, task: Record<string, unknown> & { taskUUID: string }, expected: number): Promise<{ images: Buffer[], cost?: number }> {
  const { http, signal, taskUUID } = { ...call, taskUUID: task.taskUUID }
  const post = (tasks: unknown[], how: { idempotent?: boolean, recoverable?: boolean }) =>
    postJSON(http, { url: call.baseURL, headers: { authorization: `Bearer ${call.key}` }, body: tasks, signal, ...how })

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
  if (call.delivery === 'async' || lost) {
    const deadline = Date.now() + call.pollTimeout
    let interval = call.pollInterval
    let wait = lost ? 0 : interval
    while (items.length < expected) {
      if (Date.now() + wait > deadline)
        throw new HttpError(`task ${taskUUID} was not finished after ${call.pollTimeout} ms of polling (pollTimeout)`)
      await sleep(wait, undefined, { signal })
      if (wait > 0)
        interval = Math.min(call.maxPollInterval, Math.max(1, interval * 1.5))
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
  if (items.length < expected)
    throw new HttpError(`HTTP 200 with ${items.length} of the ${expected} images asked for`, 200)
  await call.answered?.()

  const images = await afterPaidCall(http, () => Promise.all(items.slice(0, expected).map(item => imageOf(item, http, signal))))
  const costs = items.map(item => item.cost).filter((c): c is number => typeof c === 'number')
  return { images, cost: costs.length > 0 ? Math.round(costs.reduce((a, b) => a + b, 0) * 1e6) / 1e6 : undefined }
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

async function imageOf(item: Item, http: HttpOptions, signal: AbortSignal): Promise<Buffer> {
  if (item.imageBase64Data)
    return decodeImage(item.imageBase64Data, 'imageBase64Data')
  if (item.imageDataURI)
    return decodeImage(item.imageDataURI, 'imageDataURI')
  return download(http, item.imageURL!, signal)
}
