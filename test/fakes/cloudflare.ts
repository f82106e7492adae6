/** Cloudflare Workers AI as the README describes it (Providers › Cloudflare Workers AI): `/client/v4/accounts/{id}/ai/run`, v4 error envelope. */
import type { FakeServer } from './server'
import { SIZES_1K } from '../../src/providers/models'
import { json, parseSize, startFake } from './server'

export const CLOUDFLARE_MODEL = 'recraft/recraftv4-1'

/** Cloudflare's v4 envelope: `{ success: false, errors: [{ code, message }], messages: [], result: null }`. */
export function cloudflareError(status: number, message: string, code = ({ 400: 5006, 401: 10000, 402: 3043, 403: 10000, 404: 7003, 408: 3007, 413: 3006, 429: 3040, 500: 2002 } as Record<number, number>)[status] ?? 1000) {
  return json(status, { success: false, errors: [{ code, message }], messages: [], result: null })
}

export async function startCloudflareFake(credentials: { accountId: string, token: string }): Promise<FakeServer> {
  return startFake({
    errorReply: (status, message) => cloudflareError(status, message),
    async api(req, fake) {
      const route = /^\/client\/v4\/accounts\/([^/]+)\/ai\/run$/.exec(req.path)
      if (req.method !== 'POST' || !route)
        return cloudflareError(404, `Could not route to /client/v4${req.path}, perhaps your object identifier is invalid?`, 7003)
      if (req.headers.authorization !== `Bearer ${credentials.token}`)
        return cloudflareError(401, 'Authentication error', 10000)
      if (decodeURIComponent(route[1]!) !== credentials.accountId)
        return cloudflareError(403, 'Authentication error', 10000)
      const body = req.json
      if (body?.model !== CLOUDFLARE_MODEL)
        return cloudflareError(400, `No such model ${body?.model}`, 5007)
      const input = body.input ?? {}
      if (typeof input.prompt !== 'string' || input.prompt === '')
        return cloudflareError(400, 'Error: required properties at \'/\' are \'prompt\'', 5006)
      const size = input.size ?? '1024x1024'
      if (!SIZES_1K.includes(size))
        return cloudflareError(400, `Error: invalid size ${size}`, 5006)
      const [width, height] = parseSize(size)!
      const image = fake.host(await fake.image(width, height, 'png'), 'png')
      return json(200, { gatewayMetadata: { keySource: 'Unified' }, result: { image }, state: 'Completed' })
    },
  })
}
