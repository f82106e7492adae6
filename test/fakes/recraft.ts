/** Recraft's API as the README describes it (Providers › Recraft API): JSON or multipart in, plain-text errors for 401/404. */
import type { FakeServer, Reply } from './server'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { json, parseSize, startFake, text } from './server'

const MODELS: Record<string, readonly string[]> = { recraftv4_1: SIZES_1K, recraftv4_1_pro: SIZES_2K }
export const RECRAFT_CREDITS = { recraftv4_1: 40, recraftv4_1_pro: 250 } as Record<string, number>

/** 4xx validation errors are JSON; 401, 404 and 5xx come as plain text. */
export function recraftError(status: number, message: string): Reply {
  return status === 400 ? json(400, { code: 'invalid_request', message }) : text(status, message)
}

export async function startRecraftFake(token: string): Promise<FakeServer> {
  return startFake({
    errorReply: recraftError,
    async api(req, fake) {
      const route = /^\/v1\/images\/(generations|imageToImage)$/.exec(req.path)
      if (req.method !== 'POST' || !route)
        return text(404, '404 page not found')
      if (req.headers.authorization !== `Bearer ${token}`)
        return text(401, 'request unauthorized')
      let body: Record<string, any>
      if (route[1] === 'imageToImage') {
        const form = await new Response(req.body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData()
        const image = form.get('image')
        if (!(image instanceof Blob) || image.size === 0)
          return recraftError(400, 'image is required')
        body = Object.fromEntries([...form.entries()].filter(([k]) => k !== 'image'))
        body.n = body.n === undefined ? undefined : Number(body.n)
        if (!(Number(body.strength) >= 0 && Number(body.strength) <= 1))
          return recraftError(400, 'strength must be between 0 and 1')
      }
      else {
        if (!req.json)
          return recraftError(400, 'body must be JSON')
        body = req.json
      }
      const sizes = MODELS[body.model ?? 'recraftv4_1']
      if (!sizes)
        return recraftError(400, `unknown model ${body.model}`)
      if (typeof body.prompt !== 'string' || body.prompt === '')
        return recraftError(400, 'prompt is required')
      const size = body.size ?? '1024x1024'
      if (!sizes.includes(size))
        return recraftError(400, `invalid size ${size} for ${body.model}`)
      const n = body.n ?? 1
      if (!Number.isInteger(n) || n < 1 || n > 6)
        return recraftError(400, 'n must be between 1 and 6')
      const format = body.response_format ?? 'url'
      if (!['url', 'b64_json'].includes(format))
        return recraftError(400, `invalid response_format ${format}`)
      const [width, height] = parseSize(size)!
      const data = []
      for (let i = 0; i < n; i++) {
        const bytes = await fake.image(width, height, 'webp')
        data.push({ image_id: crypto.randomUUID(), ...(format === 'url' ? { url: fake.host(bytes, 'webp') } : { b64_json: bytes.toString('base64') }) })
      }
      return json(200, { created: Math.floor(Date.now() / 1000), credits: RECRAFT_CREDITS[body.model ?? 'recraftv4_1']! * n, data })
    },
  })
}
