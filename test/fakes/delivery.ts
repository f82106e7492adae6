/**
 * Faults of delivery: the answer exists (on the API, the work was done and
 * billed) but reaches the client cut, late, dribbled or not at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Reply } from './server'
import { setTimeout as sleep } from 'node:timers/promises'

export type DeliveryFault
  = | { kind: 'reset' }
    | { kind: 'reset-mid-body' }
    | { kind: 'silent', ms: number }
    | { kind: 'slow-headers' }
    | { kind: 'trickle' }
    | { kind: 'truncated' }
    | { kind: 'redirect', status: number, location: string }

export const DELIVERY: string[] = ['reset', 'reset-mid-body', 'silent', 'slow-headers', 'trickle', 'truncated', 'redirect']

/**
 * Sends a reply through a fault of delivery. Content-Length is always the
 * length of what the client is told to expect, so only the fault cuts it short.
 */
export async function deliver(req: IncomingMessage, res: ServerResponse, reply: Reply, fault: DeliveryFault): Promise<void> {
  const body = Buffer.from(reply.body)
  const headers = { ...reply.headers, 'content-length': String(body.length) }
  const gone = () => res.destroyed || req.socket.destroyed
  switch (fault.kind) {
    case 'reset':
      return void req.socket.destroy()
    case 'reset-mid-body':
      res.writeHead(reply.status, headers)
      res.write(body.subarray(0, Math.floor(body.length / 2)))
      await sleep(50)
      return void req.socket.destroy()
    case 'silent':
      await Promise.race([sleep(fault.ms), new Promise(resolve => res.once('close', resolve))])
      return gone() ? undefined : send(res, reply)
    case 'slow-headers': {
      // Written to the socket by hand: node:http sends a head in one piece.
      const head = Buffer.from(`HTTP/1.1 ${reply.status} OK\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`)
      for (const byte of head) {
        if (gone())
          return
        req.socket.write(Buffer.from([byte]))
        await sleep(1000)
      }
      return void req.socket.end(body)
    }
    case 'trickle':
      res.writeHead(reply.status, headers)
      for (const byte of body) {
        if (gone())
          return
        res.write(Buffer.from([byte]))
        await sleep(1000)
      }
      return void res.end()
    default:
      return send(res, { ...reply, headers, body })
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed)
    return
  res.writeHead(reply.status, reply.headers)
  res.end(reply.body)
}

/** The first half of a file. */
export function half(bytes: Buffer): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length / 2))
}

/** A plain SVG of that size and color, as a vector model would answer. */
export function svgImage(width: number, height: number, color: { r: number, g: number, b: number }): Buffer {
  const fill = `rgb(${color.r},${color.g},${color.b})`
  const shapes = Array.from({ length: 40 }, (_, i) => `<circle cx="${(i * 97) % width}" cy="${(i * 61) % height}" r="${20 + i}" fill="${fill}" opacity="0.5"/>`).join('')
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${fill}"/>${shapes}</svg>\n`)
}
