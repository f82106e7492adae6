/**
 * What every fake provider shares: a real node:http server on 127.0.0.1,
 * port 0, that records every request, measures how many API requests are in
 * flight at once, hosts the images it "generated" for download, and plays
 * faults queued by a test before answering normally.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DeliveryFault } from './delivery'
import { createServer } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import sharp from 'sharp'
import { deliver, DELIVERY, half, send, svgImage } from './delivery'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: Buffer
  /** The body parsed as JSON, when it is. */
  json?: any
  /** 'api' (a provider call) or 'download' (an image URL). */
  kind: 'api' | 'download'
  /** performance.now() when the body had arrived. */
  at: number
  /** performance.now() when the connection closed before the answer was complete (the client gave up, or a fault cut it). */
  abandonedAt?: number
}

export interface Reply {
  status: number
  headers?: Record<string, string>
  body: string | Buffer
}

/**
 * A fault replaces (or delays) the answer to one request:
 * - `status`: the provider's own error body with that status (and Retry-After);
 * - `slow`: waits `ms`, then does the work and answers, unless the client left;
 * - `malformed`: HTTP 200 with a body that is not JSON;
 * - `reply`: exactly this answer;
 * - `not-found`, `not-image`, `oversized`: for downloads;
 * - `task-error`: a Runware async task that ends in error.
 *
 * Faults of delivery, for API calls (`on: 'api'`, the default) or downloads
 * (`on: 'download'`). On the API the work is done, and billed, first: the
 * worst case for a client that would send the call again.
 * - `reset`: destroys the connection without an answer;
 * - `reset-mid-body`: headers with the full Content-Length, half the body, then a reset;
 * - `silent`: holds the answer `ms`, sending it only if the client is still there;
 * - `slow-headers`: the status line and headers one byte per second, then the body;
 * - `trickle`: headers at once, then the body one byte per second;
 * - `truncated`: every image half cut (its first half, with a matching
 *   Content-Length for a download; inside the JSON for base64 answers);
 * - `redirect`: an HTTP `status` (307…) to `location`, without doing the work.
 */
export type Fault
  = | { kind: 'status', status: number, retryAfter?: string, message?: string }
    | { kind: 'slow', ms: number }
    | { kind: 'malformed' }
    | { kind: 'reply', reply: Reply }
    | { kind: 'not-found' }
    | { kind: 'not-image' }
    | { kind: 'oversized', bytes: number, declare?: boolean }
    | { kind: 'task-error', message?: string }
    | (DeliveryFault & { on?: 'api' | 'download' })

const DOWNLOAD_ONLY = ['not-found', 'not-image', 'oversized']

export interface FakeOptions {
  /** The provider's documented error body for a status. */
  errorReply: (status: number, message: string) => Reply
  /** Answers an API request normally. */
  api: (request: RecordedRequest, fake: FakeServer) => Promise<Reply>
}

export type ImageType = 'png' | 'jpeg' | 'webp'

export class FakeServer {
  url = ''
  readonly requests: RecordedRequest[] = []
  /** Added to every API answer, in ms (for the concurrency checks and the benchmark). */
  latency = 0
  /** Every image this fake makes is of this type, whatever was asked (e.g. 'svg'). */
  imageType?: ImageType | 'svg'
  /** What vector models answer: a clean logo, or one carrying every attack (svgs.ts). */
  svgKind: 'logo' | 'malicious' = 'logo'
  /** Images made while this is set are cut in half (the `truncated` fault on an API call). */
  private truncating = false
  inFlight = 0
  maxInFlight = 0
  private readonly apiFaults: Fault[] = []
  private readonly downloadFaults: Fault[] = []
  private readonly hosted = new Map<string, { bytes: Buffer, type: string }>()
  private readonly server = createServer((req, res) => void this.handle(req, res))
  private colors = 0
  private readonly rendered = new Map<string, Promise<Buffer>>()

  constructor(private readonly options: FakeOptions) {}

  async listen(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise(resolve => this.server.close(resolve))
  }

  /** Queues a fault for the next `times` API requests (or downloads). */
  fail(fault: Fault, times = 1): this {
    const onDownload = DOWNLOAD_ONLY.includes(fault.kind) || (DELIVERY.includes(fault.kind) && (fault as { on?: string }).on === 'download')
    const queue = onDownload ? this.downloadFaults : this.apiFaults
    for (let i = 0; i < times; i++)
      queue.push(fault)
    return this
  }

  /** Takes the next queued API fault of one of these kinds (Runware's task-error is played at a poll). */
  takeFault(kinds: Fault['kind'][]): Fault | undefined {
    const index = this.apiFaults.findIndex(f => kinds.includes(f.kind))
    return index < 0 ? undefined : this.apiFaults.splice(index, 1)[0]
  }

  reset(): void {
    this.requests.length = 0
    this.apiFaults.length = 0
    this.downloadFaults.length = 0
    this.latency = 0
    this.maxInFlight = 0
    this.imageType = undefined
    this.svgKind = 'logo'
  }

  get apiRequests(): RecordedRequest[] {
    return this.requests.filter(r => r.kind === 'api')
  }

  /**
   * A real image of that size. Consecutive calls cycle through 8 colors, so
   * variants differ; each is encoded once and kept, so that the fake's own
   * encoding does not eat the CPU and thread pool of the client under test.
   */
  image(width: number, height: number, asked: ImageType): Promise<Buffer> {
    const type = this.imageType ?? asked
    const slot = this.colors++ % 8
    const key = `${width}x${height}.${type}.${slot}`
    let image = this.rendered.get(key)
    if (!image) {
      const background = { r: (slot * 67) % 256, g: (slot * 131 + 40) % 256, b: (slot * 29 + 90) % 256 }
      image = type === 'svg'
        ? Promise.resolve(svgImage(width, height, background))
        : sharp({ create: { width, height, channels: 3, background } }).toFormat(type).toBuffer()
      this.rendered.set(key, image)
    }
    return this.truncating ? image.then(half) : image
  }

  /**
   * Serves the bytes at a new URL, as providers serve their results. `extension`:
   * the one the URL shows, when it is not the type's (Cloudflare's documented
   * vector examples link to `.jpg` files).
   */
  host(bytes: Buffer, type: ImageType | 'svg', extension: string = type === 'jpeg' ? 'jpg' : type): string {
    const id = `${this.hosted.size + 1}-${Math.random().toString(36).slice(2, 10)}.${extension}`
    this.hosted.set(id, { bytes, type: type === 'svg' ? 'image/svg+xml' : `image/${type}` })
    return `${this.url}/images/${id}?expires=86400&signature=fake`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    try {
      for await (const chunk of req)
        chunks.push(chunk as Buffer)
    }
    catch {
      return // The client went away mid-request (a killed process): there is nothing to answer.
    }
    const body = Buffer.concat(chunks)
    const path = (req.url ?? '/').split('?')[0]!
    const kind = path.startsWith('/images/') ? 'download' : 'api'
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, kind, at: performance.now() }
    if (req.headers['content-type']?.includes('json')) {
      try {
        recorded.json = JSON.parse(body.toString('utf8'))
      }
      catch {}
    }
    this.requests.push(recorded)
    res.once('close', () => {
      if (!res.writableFinished)
        recorded.abandonedAt = performance.now()
    })
    if (kind === 'download')
      return this.download(path.slice('/images/'.length), req, res)

    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    res.once('close', () => this.inFlight--)
    try {
      const fault = this.takeFault(['status', 'slow', 'malformed', 'reply', ...DELIVERY] as Fault['kind'][])
      if (!fault) {
        // The fake's own work (encoding the image) overlaps the simulated latency, as a real server's would.
        const [reply] = await Promise.all([this.options.api(recorded, this), sleep(this.latency)])
        return send(res, reply)
      }
      if (this.latency > 0)
        await sleep(this.latency)
      if (fault.kind === 'redirect')
        return send(res, { status: fault.status, headers: { location: fault.location }, body: '' })
      if (DELIVERY.includes(fault.kind)) {
        this.truncating = fault.kind === 'truncated'
        const reply = await this.options.api(recorded, this).finally(() => this.truncating = false)
        return await deliver(req, res, reply, fault as DeliveryFault)
      }
      if (fault.kind === 'slow')
        await sleep(fault.ms)
      if (res.destroyed)
        return
      if (fault.kind === 'status') {
        const reply = this.options.errorReply(fault.status, fault.message ?? defaultMessage(fault.status))
        return send(res, { ...reply, headers: { ...reply.headers, ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }) } })
      }
      if (fault.kind === 'malformed')
        return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data": [{"imageURL": "http://' })
      if (fault.kind === 'reply')
        return send(res, fault.reply)
      send(res, await this.options.api(recorded, this))
    }
    catch (error) {
      send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: `fake crashed: ${(error as Error).stack}` })
    }
  }

  private download(id: string, req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const fault = this.downloadFaults.shift()
    const image = this.hosted.get(id)
    if (fault?.kind === 'redirect')
      return send(res, { status: fault.status, headers: { location: fault.location }, body: '' })
    if (image && fault && DELIVERY.includes(fault.kind)) {
      const bytes = fault.kind === 'truncated' ? half(image.bytes) : image.bytes
      return deliver(req, res, { status: 200, headers: { 'content-type': image.type }, body: bytes }, fault as DeliveryFault)
    }
    if (fault?.kind === 'not-found' || !image)
      return send(res, { status: 404, headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>' })
    if (fault?.kind === 'not-image')
      return send(res, { status: 200, headers: { 'content-type': 'image/png' }, body: '<html><body>Access denied by the CDN</body></html>' })
    if (fault?.kind === 'oversized') {
      // Chunked unless it declares its length: the client must stop reading either way.
      res.writeHead(200, { 'content-type': image.type, ...(fault.declare ? { 'content-length': String(fault.bytes) } : {}) })
      const chunk = Buffer.alloc(1 << 20, 0x42)
      let sent = 0
      const pump = () => {
        while (sent < fault.bytes && !res.destroyed) {
          sent += chunk.length
          if (!res.write(chunk))
            return void res.once('drain', pump)
        }
        res.end()
      }
      return pump()
    }
    send(res, { status: 200, headers: { 'content-type': image.type }, body: image.bytes })
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}

export function text(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body }
}

function defaultMessage(status: number): string {
  return ({ 408: 'Request timeout', 429: 'Too many requests', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable: out of capacity', 504: 'Gateway timeout: queue wait exceeded' } as Record<number, string>)[status] ?? `Error ${status}`
}

export async function startFake(options: FakeOptions): Promise<FakeServer> {
  return new FakeServer(options).listen()
}

/** `WxH` → [w, h], or undefined. */
export function parseSize(size: unknown): [number, number] | undefined {
  const m = typeof size === 'string' ? /^(\d+)x(\d+)$/.exec(size) : null
  return m ? [Number(m[1]), Number(m[2])] : undefined
}
