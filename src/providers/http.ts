/**
 * The one HTTP layer every network provider goes through (as unstorage's
 * drivers share one request helper): a timeout per attempt, retries only where a
 * second request cannot pay twice, error messages that carry the HTTP status
 * and the provider's own words, and downloads of result URLs that must decode
 * completely. Providers only build bodies and read answers.
 */
import type { Secrets } from './secrets'
import type { HttpAnswer, RequestInit } from './transport'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { attempt } from './attempt'
import { assertImage } from './decode'
import { BILLED, HttpError } from './http-error'
import { excerpt, providerMessage } from './messages'
import { scrub, secretsOf } from './secrets'

export { assertImage, decodeImage } from './decode'
export { HttpError } from './http-error'
export { excerpt, messageOf, providerMessage } from './messages'
export { scrub } from './secrets'

export interface HttpOptions {
  /** Per attempt, connection, headers, redirects and body included, in ms. */
  timeout: number
  /** Retries after the first attempt, only where a second attempt cannot pay twice. */
  retries: number
  /** First backoff delay in ms; each retry doubles it (with jitter). */
  retryDelay: number
  /** Longest wait between two attempts; a Retry-After above it fails at once rather than stall the build. */
  maxRetryDelay: number
  /** Largest body read, for downloads and JSON answers alike (base64 images arrive inside JSON). */
  maxDownloadBytes: number
  /** Credentials by variable name: they, and fragments of them, are cut out of every message this layer builds. */
  secrets: Secrets
  /** Where the user sees what a call cost, for messages about calls that may have been billed. */
  dashboard: string
}

/** Settings of the HTTP layer that every network provider accepts beside timeout and retries. */
export const httpOptionsShape = {
  retryDelay: z.number().int().min(0).max(600_000).optional(),
  maxRetryDelay: z.number().int().min(0).max(3_600_000).optional(),
  maxDownloadBytes: z.number().int().positive().optional(),
}

export const HTTP_DEFAULTS = { timeout: 120_000, retries: 4, retryDelay: 1000, maxRetryDelay: 60_000, maxDownloadBytes: 50 * 1024 * 1024 }

export function httpOptions(settings: Record<string, unknown>, env: Record<string, string | undefined>, credentials: readonly string[], dashboard: string): HttpOptions {
  const pick = (name: keyof typeof HTTP_DEFAULTS) => typeof settings[name] === 'number' ? settings[name] as number : HTTP_DEFAULTS[name]
  return {
    timeout: pick('timeout'),
    retries: pick('retries'),
    retryDelay: pick('retryDelay'),
    maxRetryDelay: pick('maxRetryDelay'),
    maxDownloadBytes: pick('maxDownloadBytes'),
    secrets: secretsOf(credentials, env),
    dashboard,
  }
}

/** 408, 429 and every 5xx: the server's trouble, not ours. Retried as they are only for calls that are safe to repeat. */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/**
 * Statuses by which the server says it did not do the work, so that sending a
 * paid POST again cannot pay twice:
 * - 429: rate limit or full queue, refused before any work;
 * - 503: no capacity, refused before any work;
 * - 408: the server gave up waiting for our request (RFC 9110), so never ran it;
 * - any status with Retry-After: the server asks for this very request again.
 * Not 500, 502, 504 without Retry-After: the work may have run, or a gateway
 * may have lost the answer of a finished (and billed) generation.
 */
export function isRefusal(status: number, retryAfter: string | null): boolean {
  return status === 408 || status === 429 || status === 503 || (status >= 400 && retryAfter !== null)
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value)
    return undefined
  if (/^\s*\d+(?:\.\d+)?\s*$/.test(value))
    return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Exponential backoff with "equal jitter": half fixed, half random, so parallel clients spread out. */
export function backoff(attempt: number, options: Pick<HttpOptions, 'retryDelay' | 'maxRetryDelay'>): number {
  const ceiling = Math.min(options.maxRetryDelay, options.retryDelay * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + Math.random() * ceiling / 2)
}

/** Said of a call that may have been billed without an answer: what the user should do. */
export function billedNote(http: Pick<HttpOptions, 'dashboard'>): string {
  return `${BILLED}, so it was not sent again: check the spend on ${http.dashboard}, then rerun to try again.`
}

/** The message, ended as a sentence, followed by the billing advice. */
export function withBilledNote(message: string, http: Pick<HttpOptions, 'dashboard'>): string {
  return `${message.replace(/[.\s]*$/, '')}. ${billedNote(http)}`
}

export interface JsonRequest {
  url: string
  headers: Record<string, string>
  /** A JSON value (sent as application/json) or a FormData (multipart). */
  body: unknown
  signal: AbortSignal
  /**
   * The call only reads (Runware's getResponse): any transient failure is
   * retried. Otherwise it is a paid call, sent again only where that cannot
   * pay twice (see isRefusal). @default false
   */
  idempotent?: boolean
  /**
   * The caller recovers a lost answer itself (Runware asks for its task by id),
   * so the error of a call that may have been billed carries no advice. @default false
   */
  recoverable?: boolean
}

/** POSTs and parses the JSON answer, retrying only what is safe to retry; anything else fails at once. */
export async function postJSON(http: HttpOptions, request: JsonRequest): Promise<unknown> {
  const isForm = request.body instanceof FormData
  const init: RequestInit = {
    method: 'POST',
    headers: { accept: 'application/json', ...(isForm ? {} : { 'content-type': 'application/json' }), ...request.headers },
    body: isForm ? request.body as FormData : JSON.stringify(request.body),
  }
  const idempotent = request.idempotent ?? false
  try {
    return await withRetries(http, request.signal, async (signal) => {
      const { response, bytes } = await attempt(request.url, init, signal, { ...http, redirects: 'same-origin', what: 'request' })
      const text = bytes.toString('utf8')
      if (!response.ok)
        throw statusError(response, `HTTP ${response.status}: ${providerMessage(text, response.headers.get('content-type'))}`, idempotent)
      try {
        return JSON.parse(text) as unknown
      }
      catch {
        // A success whose body is garbled: the work was done, its answer lost.
        throw new HttpError(`HTTP ${response.status} with a body that is not JSON: ${excerpt(text)}`, response.status, idempotent, undefined, 'unknown')
      }
    }, error => idempotent || error.outcome === 'not-sent')
  }
  catch (error) {
    if (error instanceof HttpError && !idempotent && !request.recoverable && mayHaveBilled(error))
      error.message = withBilledNote(error.message, http)
    throw error
  }
}

/**
 * The images of a paid call that answered: when one cannot be had (a broken
 * image, a download that fails), the call was paid for nothing, and the error
 * says so.
 */
export async function afterPaidCall<T>(http: HttpOptions, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  }
  catch (error) {
    if (error instanceof HttpError)
      error.message = withBilledNote(error.message, http)
    throw error
  }
}

/** A paid call failed in a way that does not rule out that the provider did (and billed) the work. */
export function mayHaveBilled(error: HttpError): boolean {
  return error.outcome === 'unknown' || (error.status !== undefined && error.status >= 500 && !error.retryable)
}

/**
 * Downloads a result image at once (provider URLs expire), never with the API
 * credentials (the host is someone else's, and so is any host it redirects
 * to), and checks that it decodes completely. A GET is safe to repeat: every
 * transient failure, a cut or damaged image included, is retried.
 */
export async function download(http: HttpOptions, url: string, signal: AbortSignal): Promise<Buffer> {
  const where = url.split('?')[0]
  return withRetries(http, signal, async (attemptSignal) => {
    const { response, bytes } = await attempt(url, { method: 'GET' }, attemptSignal, { ...http, redirects: 'any', what: 'image download' })
    if (response.status !== 200)
      throw statusError(response, `image download ${where} failed with HTTP ${response.status}: ${providerMessage(bytes.toString('utf8'), response.headers.get('content-type'))}`, true)
    await assertImage(bytes, `the image downloaded from ${where}`, true)
    return bytes
  }, () => true)
}

function statusError(response: HttpAnswer, message: string, idempotent: boolean): HttpError {
  const retryAfter = response.headers.get('retry-after')
  const retryable = idempotent ? isTransient(response.status) : isRefusal(response.status, retryAfter)
  return new HttpError(message, response.status, retryable, retryable ? parseRetryAfter(retryAfter) : undefined)
}

// Loaded on the first request: a build that calls no provider never needs it. Imported once, as a
// dynamic import costs a round trip through the module loader (and its hooks, under a loader like tsx).
let pRetryModule: Promise<typeof import('p-retry')> | undefined
function loadPRetry(): Promise<typeof import('p-retry')> {
  return pRetryModule ??= import('p-retry')
}

/**
 * Runs attempts until one succeeds, an error is not retryable, or `retries`
 * are spent. `safe` says whether a failure without an answer (no connection,
 * a timeout, a reset) may be tried again.
 */
async function withRetries<T>(http: HttpOptions, signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>, safe: (error: HttpError) => boolean): Promise<T> {
  const { default: pRetry, AbortError } = await loadPRetry()
  try {
    return await pRetry(async () => {
      try {
        return await run(signal)
      }
      catch (error) {
        if (signal.aborted)
          throw new AbortError(abortReason(signal))
        if (error instanceof HttpError && error.outcome !== undefined)
          error.retryable = safe(error)
        throw error
      }
    }, {
      retries: http.retries,
      // p-retry counts and stops; the delays are ours, to honour Retry-After.
      minTimeout: 0,
      signal,
      shouldRetry: ({ error }) => error instanceof HttpError && error.retryable,
      onFailedAttempt: async ({ error, retriesLeft, attemptNumber }) => {
        if (!(error instanceof HttpError) || !error.retryable)
          return
        if (retriesLeft === 0) {
          error.message += ` (gave up after ${attemptNumber} attempt${attemptNumber === 1 ? '' : 's'})`
          return
        }
        if (error.retryAfter !== undefined && error.retryAfter > http.maxRetryDelay) {
          error.message += ` (the server asks to retry after ${Math.ceil(error.retryAfter / 1000)} s, more than maxRetryDelay ${http.maxRetryDelay} ms: not waiting)`
          throw error
        }
        await sleep(error.retryAfter ?? backoff(attemptNumber, http), undefined, { signal }).catch(() => {})
      },
    })
  }
  catch (error) {
    if (error instanceof Error)
      error.message = scrub(error.message, http.secrets)
    throw error
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason as unknown
  return reason instanceof Error ? reason : new Error(`aborted${reason === undefined ? '' : `: ${String(reason)}`}`)
}
