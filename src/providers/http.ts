/**
 * The one HTTP layer every network provider goes through (as unstorage's
 * drivers share one fetch helper): a timeout per attempt, bounded retries of
 * transient failures with backoff that honours Retry-After, error messages that
 * carry the HTTP status and the provider's own words, and downloads of result
 * URLs with a size limit. Providers only build bodies and read answers.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import pRetry, { AbortError } from 'p-retry'
import { openImage } from '../derive/sharp'
import { z } from 'zod'

export interface HttpOptions {
  /** Per attempt, headers and body included, in ms. */
  timeout: number
  /** Retries after the first attempt, for transient failures only. */
  retries: number
  /** First backoff delay in ms; each retry doubles it (with jitter). */
  retryDelay: number
  /** Longest wait between two attempts; a Retry-After above it fails at once rather than stall the build. */
  maxRetryDelay: number
  /** Largest body read, for downloads and JSON answers alike (base64 images arrive inside JSON). */
  maxDownloadBytes: number
  /** Credentials by variable name: their values are cut out of every message this layer builds. */
  secrets: [name: string, value: string][]
}

/** Settings of the HTTP layer that every network provider accepts beside timeout and retries. */
export const httpOptionsShape = {
  retryDelay: z.number().int().min(0).max(600_000).optional(),
  maxRetryDelay: z.number().int().min(0).max(3_600_000).optional(),
  maxDownloadBytes: z.number().int().positive().optional(),
}

export const HTTP_DEFAULTS = { timeout: 120_000, retries: 4, retryDelay: 1000, maxRetryDelay: 60_000, maxDownloadBytes: 50 * 1024 * 1024 }

export function httpOptions(settings: Record<string, unknown>, env: Record<string, string | undefined>, credentials: readonly string[]): HttpOptions {
  const pick = (name: keyof typeof HTTP_DEFAULTS) => typeof settings[name] === 'number' ? settings[name] as number : HTTP_DEFAULTS[name]
  return {
    timeout: pick('timeout'),
    retries: pick('retries'),
    retryDelay: pick('retryDelay'),
    maxRetryDelay: pick('maxRetryDelay'),
    maxDownloadBytes: pick('maxDownloadBytes'),
    secrets: credentials.map(name => [name, env[name] ?? ''] as [string, string]).filter(([, value]) => value.length >= 4),
  }
}

/** A failed attempt or answer; `retryable` decides whether the layer tries again. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(message: string, readonly status?: number, readonly retryable = false, readonly retryAfter?: number) {
    super(message)
  }
}

/** 408, 429 and every 5xx (PROVIDERS §4 names 500/502/503/504; any 5xx is the server's trouble, not ours). */
export function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
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

/** Cuts the credentials out of a message built from what a server said (servers do echo keys). */
export function scrub(message: string, secrets: HttpOptions['secrets']): string {
  return secrets.reduce((text, [name, value]) => text.split(value).join(`[${name}]`), message)
}

/** The start of a body, on one line, for messages about answers we could not use. */
export function excerpt(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line || '(empty body)'
}

/**
 * What the provider said went wrong, from any of the documented error shapes:
 * Cloudflare's and Runware's `errors: [{ code, message }]`, `{ message }`,
 * `{ error }`, `{ detail }`; plain text unless the Content-Type says JSON
 * (Recraft answers `request unauthorized` as text/plain).
 */
export function providerMessage(text: string, contentType: string | null): string {
  if (!contentType?.includes('json'))
    return excerpt(text)
  let body: unknown
  try {
    body = JSON.parse(text)
  }
  catch {
    return excerpt(text)
  }
  return messageOf(body) ?? excerpt(text)
}

export function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string')
    return body
  if (typeof body !== 'object' || body === null)
    return undefined
  const b = body as Record<string, unknown>
  if (Array.isArray(b.errors) && b.errors.length > 0) {
    return b.errors.map((e: Record<string, unknown>) => {
      const code = e?.code === undefined ? '' : ` (code ${e.code})`
      return `${typeof e?.message === 'string' ? e.message : JSON.stringify(e)}${code}`
    }).join('; ')
  }
  for (const field of ['message', 'error', 'detail', 'error_description']) {
    const found = messageOf(b[field])
    if (found)
      return typeof b.code === 'string' || typeof b.code === 'number' ? `${found} (code ${b.code})` : found
  }
  return undefined
}

export interface JsonRequest {
  url: string
  headers: Record<string, string>
  /** A JSON value (sent as application/json) or a FormData (multipart). */
  body: unknown
  signal: AbortSignal
}

/** POSTs and parses the JSON answer, retrying transient failures; anything else fails at once. */
export async function postJSON(http: HttpOptions, request: JsonRequest): Promise<unknown> {
  const isForm = request.body instanceof FormData
  const init = {
    method: 'POST',
    headers: { accept: 'application/json', ...(isForm ? {} : { 'content-type': 'application/json' }), ...request.headers },
    body: isForm ? request.body as FormData : JSON.stringify(request.body),
  }
  return withRetries(http, request.signal, async (signal) => {
    const { response, bytes } = await fetchBytes(http, request.url, { ...init, signal }, request.signal)
    const text = bytes.toString('utf8')
    if (!response.ok)
      throw statusError(response, `HTTP ${response.status}: ${providerMessage(text, response.headers.get('content-type'))}`)
    try {
      return JSON.parse(text) as unknown
    }
    catch {
      throw new HttpError(`HTTP ${response.status} with a body that is not JSON: ${excerpt(text)}`, response.status)
    }
  })
}

/**
 * Downloads a result image at once (provider URLs expire), never with the API
 * credentials (the host is someone else's), and checks that it decodes.
 */
export async function download(http: HttpOptions, url: string, signal: AbortSignal): Promise<Buffer> {
  const where = url.split('?')[0]
  return withRetries(http, signal, async (attemptSignal) => {
    const { response, bytes } = await fetchBytes(http, url, { method: 'GET', signal: attemptSignal }, signal, 'image download')
    if (response.status !== 200)
      throw statusError(response, `image download ${where} failed with HTTP ${response.status}: ${providerMessage(bytes.toString('utf8'), response.headers.get('content-type'))}`)
    await assertImage(bytes, `the image downloaded from ${where}`)
    return bytes
  })
}

/** Bytes that are not an image fail here, before the pipeline writes anything, so no variant is stored alone. */
export async function assertImage(bytes: Buffer, what: string): Promise<void> {
  try {
    const { width, height } = await (await openImage(bytes)).metadata()
    if (width && height)
      return
  }
  catch {}
  throw new HttpError(`${what} is not a decodable image (${bytes.length} bytes starting ${JSON.stringify(bytes.subarray(0, 24).toString('latin1'))})`)
}

/** Decodes `imageBase64Data`/`b64_json`/a data: URI into bytes that must be an image. */
export async function decodeImage(value: string, what: string): Promise<Buffer> {
  const base64 = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value
  const bytes = Buffer.from(base64, 'base64')
  await assertImage(bytes, what)
  return bytes
}

function statusError(response: Response, message: string): HttpError {
  const transient = isTransient(response.status)
  return new HttpError(message, response.status, transient, transient ? parseRetryAfter(response.headers.get('retry-after')) : undefined)
}

async function withRetries<T>(http: HttpOptions, signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await pRetry(async () => {
      try {
        // Each attempt has its own timeout; the caller's signal aborts them all.
        return await attempt(AbortSignal.any([signal, AbortSignal.timeout(http.timeout)]))
      }
      catch (error) {
        if (signal.aborted)
          throw new AbortError(abortReason(signal))
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

/** One fetch whose whole body is read under the limit; network failures and timeouts come back retryable. */
async function fetchBytes(http: HttpOptions, url: string, init: RequestInit & { signal: AbortSignal }, outer: AbortSignal, what = 'request'): Promise<{ response: Response, bytes: Buffer }> {
  let response: Response
  try {
    response = await fetch(url, init)
    const declared = Number(response.headers.get('content-length'))
    if (declared > http.maxDownloadBytes) {
      await response.body?.cancel().catch(() => {})
      throw new HttpError(`${what} answered HTTP ${response.status} with ${declared} bytes, more than maxDownloadBytes (${http.maxDownloadBytes})`, response.status)
    }
    return { response, bytes: await readLimited(response, http.maxDownloadBytes, what) }
  }
  catch (error) {
    if (error instanceof HttpError || outer.aborted)
      throw error
    if (init.signal.aborted)
      throw new HttpError(`${what} got no complete answer within ${http.timeout} ms (timeout)`, undefined, true)
    const cause = (error as { cause?: { code?: string, message?: string } }).cause
    throw new HttpError(`${what} failed with a network error (${[cause?.code, cause?.message ?? (error as Error).message].filter(Boolean).join(': ')})`, undefined, true)
  }
}

/** Reads the body chunk by chunk so that an endless or huge answer stops at the limit. */
async function readLimited(response: Response, limit: number, what: string): Promise<Buffer> {
  if (!response.body)
    return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) {
      await response.body.cancel().catch(() => {})
      throw new HttpError(`${what} answered HTTP ${response.status} with more than maxDownloadBytes (${limit} bytes)`, response.status)
    }
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}
