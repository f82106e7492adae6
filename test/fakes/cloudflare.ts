/** Cloudflare Workers AI as the README describes it (Providers › Cloudflare Workers AI): `/client/v4/accounts/{id}/ai/run`, v4 error envelope. */
import type { FakeServer } from './server'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { json, parseSize, startFake } from './server'
import { vectorImage } from './tools'

export const CLOUDFLARE_MODEL = 'recraft/recraftv4-1'
const MODELS: Record<string, readonly string[]> = {
  [CLOUDFLARE_MODEL]: SIZES_1K,
  'recraft/recraftv4-1-vector': SIZES_1K,
  'recraft/recraftv4-1-pro-vector': SIZES_2K,
  'recraft/recraftv4-1-utility-vector': SIZES_1K,
  'recraft/recraftv4-1-utility-pro-vector': SIZES_2K,
}

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
      const sizes = MODELS[body?.model]
      if (!sizes)
        return cloudflareError(400, `No such model ${body?.model}`, 5007)
      const input = body.input ?? {}
      if (typeof input.prompt !== 'string' || input.prompt === '')
        return cloudflareError(400, 'Error: required properties at \'/\' are \'prompt\'', 5006)
      const size = input.size ?? '1024x1024'
      if (!sizes.includes(size))
        return cloudflareError(400, `Error: invalid size ${size}`, 5006)
      const [width, height] = parseSize(size)!
      // The documented vector examples link to `.jpg` files: the SVG is hosted under such a name.
      const image = body.model.endsWith('-vector')
        ? fake.host(vectorImage(fake, width, height), 'svg', 'jpg')
        : fake.host(await fake.image(width, height, 'png'), 'png')
      return json(200, { gatewayMetadata: { keySource: 'Unified' }, result: { image }, state: 'Completed' })
    },
  })
}
