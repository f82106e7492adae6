/**
 * Whether a failed attempt can have reached the server decides whether a
 * paid call may be sent again (`outcome`): a connection that never completes
 * sent nothing, however the attempt ends; a server that took the request and
 * said nothing may have done the work; over https, the request leaves once the
 * TLS handshake is done. Also what every request carries, and
 * a multipart body sent as fetch would send it.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, createServer as createTcpServer } from 'node:net'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { attempt } from '../../src/providers/attempt'
import { HttpError } from '../../src/providers/http-error'

const OPTIONS = { timeout: 500, maxDownloadBytes: 1 << 20, redirects: 'same-origin' as const, what: 'request' }
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0))
    await cleanup()
})

/**
 * A port whose connections never complete: a listener with a backlog of 1 in
 * a thread that never accepts (its event loop is blocked), and the queue
 * filled by a few sockets, so that the kernel drops the next SYNs.
 */
async function unconnectablePort(): Promise<number> {
  const worker = new Worker(`
    const { createServer } = require('node:net')
    const { parentPort } = require('node:worker_threads')
    const server = createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      parentPort.postMessage(server.address().port)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
    })`, { eval: true })
  cleanups.push(() => worker.terminate())
  const port = await new Promise<number>(resolve => worker.once('message', resolve))
  const fillers: Socket[] = []
  for (let i = 0; i < 4; i++) {
    const socket = connect(port, '127.0.0.1').on('error', () => {})
    fillers.push(socket)
  }
  cleanups.push(() => fillers.forEach(socket => socket.destroy()))
  // Until one more connection hangs: the queue is full.
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const probe = connect(port, '127.0.0.1').on('error', () => resolve(true))
      probe.once('connect', () => resolve(true))
      setTimeout(() => resolve(false), 200)
      fillers.push(probe)
    })
    if (!connected)
      return port
  }
}

async function failureOf(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(HttpError)
  return error as HttpError
}

describe('an attempt that times out', () => {
  it('sent nothing when its connection never completed', async () => {
    const port = await unconnectablePort()
    const error = await failureOf(attempt(`http://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' }, new AbortController().signal, OPTIONS))
    expect(error.message).toBe('request could not connect within 500 ms (timeout)')
    expect(error.outcome).toBe('not-sent')
  })

  it('may have been done when the server took the request and never answered', async () => {
    const server = createServer(() => {}).listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    cleanups.push(() => new Promise(resolve => server.close(resolve)), () => server.closeAllConnections())
    const { port } = server.address() as { port: number }
    const error = await failureOf(attempt(`http://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' }, new AbortController().signal, OPTIONS))
    expect(error.message).toBe('request got no complete answer within 500 ms (timeout)')
    expect(error.outcome).toBe('unknown')
  })
})

/**
 * A TCP server on 127.0.0.1 that is not TLS: an https request to it connects,
 * then its handshake gets silence (`silent`) or bytes that are not TLS.
 */
async function notTlsServer(silent: boolean): Promise<number> {
  const sockets: Socket[] = []
  const server = createTcpServer((socket) => {
    sockets.push(socket.on('error', () => {}))
    if (!silent)
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
  }).listen(0, '127.0.0.1')
  await new Promise(resolve => server.once('listening', resolve))
  cleanups.push(() => sockets.forEach(socket => socket.destroy()), () => new Promise(resolve => server.close(resolve)))
  return (server.address() as { port: number }).port
}

describe('an https attempt whose TLS handshake does not complete', () => {
  it('sent nothing when the handshake times out', async () => {
    const port = await notTlsServer(true)
    const error = await failureOf(attempt(`https://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' }, new AbortController().signal, OPTIONS))
    expect(error.message).toBe('request could not connect within 500 ms (timeout)')
    expect(error.outcome).toBe('not-sent')
  })

  it('sent nothing when the handshake fails', async () => {
    const port = await notTlsServer(false)
    const error = await failureOf(attempt(`https://127.0.0.1:${port}/v1`, { method: 'POST', body: '{}' }, new AbortController().signal, OPTIONS))
    expect(error.message).toMatch(/^request could not connect \(/)
    expect(error.outcome).toBe('not-sent')
  })
})

describe('an https server whose certificate Node refuses', () => {
  it('fails at once, sent nothing, and says how to trust a proxy\'s authority', async () => {
    // A self-signed certificate for 127.0.0.1 (test/fakes/tls/), which no authority Node trusts has signed.
    const tls = new URL('../fakes/tls/', import.meta.url)
    let requests = 0
    const server = createHttpsServer({ cert: readFileSync(new URL('cert.pem', tls)), key: readFileSync(new URL('key.pem', tls)) }, (_, res) => {
      requests++
      res.end('{}')
    }).listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    cleanups.push(() => new Promise(resolve => server.close(resolve)), () => server.closeAllConnections())
    const error = await failureOf(attempt(`https://127.0.0.1:${(server.address() as { port: number }).port}/v1`, { method: 'POST', body: '{}' }, new AbortController().signal, OPTIONS))
    expect(error.message).toMatch(/^request could not connect: the server's TLS certificate was refused \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\)\. Behind a proxy that inspects TLS, give Node its certificate authority: NODE_EXTRA_CA_CERTS=/)
    // Not sent, and not worth sending again: no retry, and no word of billing.
    expect(error.retryable).toBe(false)
    expect(error.outcome).toBeUndefined()
    expect(requests).toBe(0)
  })
})

describe('what is sent', () => {
  it('names the client, gives the length, and encodes a FormData as multipart as fetch does', async () => {
    const received: { headers: IncomingHttpHeaders, body: string }[] = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', chunk => chunks.push(chunk)).on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('latin1') })
        res.end('{}')
      })
    }).listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    cleanups.push(() => new Promise(resolve => server.close(resolve)), () => server.closeAllConnections())
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`

    const form = new FormData()
    form.append('response_format', 'b64_json')
    form.append('file', new Blob([Buffer.from([0x89, 0x50, 0x4E, 0x47])], { type: 'image/png' }), 'image.png')
    const { response, bytes } = await attempt(url, { method: 'POST', headers: { authorization: 'Bearer k' }, body: form }, new AbortController().signal, OPTIONS)
    expect(response.status).toBe(200)
    expect(bytes.toString()).toBe('{}')
    const expected = new Response(form)
    const [sent] = received
    expect(sent!.headers['user-agent']).toBe('unplugin-ai-assets')
    expect(sent!.headers.authorization).toBe('Bearer k')
    expect(sent!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(Number(sent!.headers['content-length'])).toBe(sent!.body.length)
    // The same parts as fetch sends, under this request's own boundary.
    const boundary = sent!.headers['content-type']!.split('boundary=')[1]!
    const theirs = Buffer.from(await expected.arrayBuffer()).toString('latin1')
    const theirBoundary = expected.headers.get('content-type')!.split('boundary=')[1]!
    expect(sent!.body.replaceAll(boundary, 'B')).toBe(theirs.replaceAll(theirBoundary, 'B'))
    expect(sent!.body).toContain('Content-Type: image/png')
  })
})
