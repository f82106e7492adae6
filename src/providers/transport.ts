/**
 * One HTTP request and the head of its answer, through node:http and
 * node:https. Not fetch: its WHATWG Request, Response and Headers objects and
 * web streams cost about half a millisecond of main-thread CPU per request
 * more (measured against a server on 127.0.0.1). A run's answers come in
 * together, and each is turned into the next paid request on that same
 * thread, so what an answer costs delays the requests behind it. Redirects
 * are never followed here (attempt.ts decides), nothing is decompressed (no
 * Accept-Encoding is sent), and Node's default agents keep connections alive.
 */
import type { IncomingMessage } from 'node:http'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { TLSSocket } from 'node:tls'

export interface RequestInit {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Sent as is; a FormData is encoded as multipart/form-data, with its boundary in the Content-Type. */
  body?: string | FormData
}

/** The head of an answer, and its body still to be read (or destroyed). */
export interface HttpAnswer {
  status: number
  ok: boolean
  headers: { get: (name: string) => string | null }
  body: IncomingMessage
}

/** How far a request got before it failed: whether it can have reached the server. */
export class RequestFailure extends Error {
  override name = 'RequestFailure'
  constructor(override readonly cause: unknown, readonly connected: boolean) {
    super((cause as Error)?.message ?? String(cause))
  }
}

/** Sends the request; resolves once the status and headers are in. Aborting `signal` destroys the request and its body. */
export async function send(url: URL, init: RequestInit, signal: AbortSignal): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'user-agent': 'unplugin-ai-assets', ...init.headers }
  let body: string | Buffer | undefined
  if (init.body instanceof FormData) {
    // Response encodes multipart bodies exactly as fetch would send them.
    const encoded = new Response(init.body)
    body = Buffer.from(await encoded.arrayBuffer())
    headers['content-type'] = encoded.headers.get('content-type')!
  }
  else {
    body = init.body
  }
  if (body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(body))
  signal.throwIfAborted()
  return new Promise<HttpAnswer>((resolve, reject) => {
    let connected = false
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: init.method, headers, signal }, (response) => {
      const status = response.statusCode ?? 0
      resolve({ status, ok: status >= 200 && status < 300, headers: { get: name => headerValue(response.headers[name.toLowerCase()]) }, body: response })
    })
    request.on('socket', (socket) => {
      // A kept-alive socket is ready already; a new one once it says so. Over https, that is once the TLS
      // handshake is done: before it, nothing of the request has left, so a handshake that times out or
      // fails (a proxy that cuts it, a certificate refused) sent nothing and cannot have been billed.
      if (socket.connecting)
        socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => connected = true)
      else
        connected = true
    })
    request.on('error', error => reject(new RequestFailure(error, connected)))
    request.end(body)
  })
}

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}
