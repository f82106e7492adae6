/**
 * One attempt of an HTTP call, start to end: its own timer over connection,
 * headers, redirects and body; redirects followed by hand, so that an API call
 * never leaves its origin; the body read under a size limit. Failures come back
 * as HttpError saying whether the request could have reached the server.
 */
import type { HttpAnswer, RequestInit } from './transport'
import { HttpError } from './http-error'
import { RequestFailure, send } from './transport'

export interface AttemptOptions {
  /** The whole attempt, in ms. */
  timeout: number
  maxDownloadBytes: number
  /**
   * `same-origin` for API calls: a 307/308 on the same origin is followed, any
   * other redirect fails (the request and its credentials never go elsewhere).
   * `any` for downloads: followed to any http(s) host, as a GET without credentials.
   */
  redirects: 'same-origin' | 'any'
  /** How messages name the call: "request", "image download". */
  what: string
}

export interface Exchange {
  response: HttpAnswer
  bytes: Buffer
}

export const MAX_REDIRECTS = 5
/** The reason an attempt's own timer aborts it with: one object, compared by identity (an Error per attempt costs a stack trace). */
const TIMED_OUT = new Error('timeout')
const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Errors raised before a connection existed: nothing was sent. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
/**
 * The server's TLS certificate was refused (expired, self-signed, not for this
 * host, an intercepting proxy's): nothing was sent, and trying again will not
 * change the certificate.
 */
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(?:GET|VERIFY)/

export async function attempt(url: string, init: RequestInit, outer: AbortSignal, options: AttemptOptions): Promise<Exchange> {
  // A timer of our own, not AbortSignal.any([outer, AbortSignal.timeout(ms)]):
  // the combined signal holds the timeout signal weakly, so a garbage collection
  // can take it with its timer, and the attempt then waits for the server
  // forever (measured: 10 s instead of 2 s). The timer lives until cleared.
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(TIMED_OUT), options.timeout)
  const forward = () => controller.abort(outer.reason)
  outer.addEventListener('abort', forward, { once: true })
  if (outer.aborted)
    forward()
  try {
    const response = await follow(url, init, controller.signal, options)
    const declared = Number(response.headers.get('content-length'))
    if (declared > options.maxDownloadBytes) {
      response.body.destroy()
      throw new HttpError(`${options.what} answered HTTP ${response.status} with ${declared} bytes, more than maxDownloadBytes (${options.maxDownloadBytes})`, response.status)
    }
    return { response, bytes: await readLimited(response, options.maxDownloadBytes, options.what) }
  }
  catch (error) {
    if (error instanceof HttpError || outer.aborted)
      throw error
    // Never connected: the request cannot have reached the server.
    const connected = !(error instanceof RequestFailure) || error.connected
    if (controller.signal.reason === TIMED_OUT) {
      if (!connected)
        throw new HttpError(`${options.what} could not connect within ${options.timeout} ms (timeout)`, undefined, false, undefined, 'not-sent')
      throw new HttpError(`${options.what} got no complete answer within ${options.timeout} ms (timeout)`, undefined, false, undefined, 'unknown')
    }
    const cause = error instanceof RequestFailure ? error.cause : error
    const code = errorCode(cause)
    const detail = [code, (cause as Error)?.message].filter(Boolean).join(': ')
    if (!connected && code !== undefined && CERTIFICATE_ERROR.test(code)) {
      throw new HttpError(`${options.what} could not connect: the server's TLS certificate was refused (${detail}). `
        + `Behind a proxy that inspects TLS, give Node its certificate authority: NODE_EXTRA_CA_CERTS=/path/to/ca.pem`)
    }
    const notSent = !connected || (code !== undefined && CONNECT_ERRORS.has(code))
    throw new HttpError(`${options.what} ${notSent ? 'could not connect' : 'failed with a network error'} (${detail})`, undefined, false, undefined, notSent ? 'not-sent' : 'unknown')
  }
  finally {
    clearTimeout(timer)
    outer.removeEventListener('abort', forward)
  }
}

/** Sends the request, following redirects as the policy allows; answers the first response that is not one. */
async function follow(url: string, init: RequestInit, signal: AbortSignal, options: AttemptOptions): Promise<HttpAnswer> {
  let current = new URL(url)
  for (let hops = 0; ; hops++) {
    const response = await send(current, init, signal)
    const location = response.headers.get('location')
    if (!REDIRECTS.has(response.status) || location === null)
      return response
    response.body.destroy()
    const next = URL.parse(location, current.href)
    if (!next)
      throw new HttpError(`${options.what} was redirected (HTTP ${response.status}) to ${JSON.stringify(location.slice(0, 100))}, which is not a URL`, response.status)
    const where = `${next.origin}${next.pathname}`
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new HttpError(`${options.what} was redirected (HTTP ${response.status}) to a ${next.protocol} URL: not followed`, response.status)
    if (options.redirects === 'same-origin') {
      if (next.origin !== current.origin) {
        throw new HttpError(`the API at ${current.origin} redirected the call (HTTP ${response.status}) to another host, ${next.origin}: not followed, so the request and your credentials stay where they were sent. `
          + `If the API has moved, set the provider's \`baseURL\` to the new address.`, response.status)
      }
      // 301/302/303 would turn the POST into a GET: the call would not be made.
      if (response.status !== 307 && response.status !== 308)
        throw new HttpError(`the API redirected the call (HTTP ${response.status}) to ${where}: not followed, as it would turn the POST into a GET. Set the provider's \`baseURL\` to the final address.`, response.status)
    }
    if (hops + 1 > MAX_REDIRECTS)
      throw new HttpError(`${options.what} was redirected more than ${MAX_REDIRECTS} times (last to ${where})`, response.status)
    if (options.redirects === 'any')
      init = { method: 'GET' }
    current = next
  }
}

/** Reads the body chunk by chunk so that an endless or huge answer stops at the limit. */
async function readLimited(response: HttpAnswer, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength
    if (size > limit) {
      response.body.destroy()
      throw new HttpError(`${what} answered HTTP ${response.status} with more than maxDownloadBytes (${limit} bytes)`, response.status)
    }
    chunks.push(chunk)
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
}

/** The socket's code; a failed connection to every address of a name is an AggregateError of them. */
function errorCode(error: unknown): string | undefined {
  const failure = error as { code?: string, errors?: { code?: string }[] }
  return failure?.code ?? failure?.errors?.[0]?.code
}
