/**
 * Recraft's API as its docs and OpenAPI describe it: generation (raster and
 * `_vector` models, with `style_id`), imageToImage, removeBackground,
 * vectorize and styles; JSON or multipart in, plain-text errors for 401/404.
 */
import type { FakeServer, Reply } from './server'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { json, parseSize, startFake, text } from './server'
import { bytesOf, formOf, removeBackground, vectorImage, vectorize } from './tools'

const MODELS: Record<string, readonly string[]> = {
  recraftv4_1: SIZES_1K,
  recraftv4_1_pro: SIZES_2K,
  recraftv4_1_utility: SIZES_1K,
  recraftv4_1_utility_pro: SIZES_2K,
  recraftv4_1_vector: SIZES_1K,
  recraftv4_1_pro_vector: SIZES_2K,
  recraftv4_1_utility_vector: SIZES_1K,
  recraftv4_1_utility_pro_vector: SIZES_2K,
}
export const RECRAFT_CREDITS = {
  recraftv4_1: 40,
  recraftv4_1_pro: 250,
  recraftv4_1_utility: 35,
  recraftv4_1_utility_pro: 210,
  recraftv4_1_vector: 80,
  recraftv4_1_pro_vector: 300,
  recraftv4_1_utility_vector: 80,
  recraftv4_1_utility_pro_vector: 300,
  removeBackground: 10,
  vectorize: 10,
  styles: 40,
} as Record<string, number>

/** 4xx validation errors are JSON; 401, 404 and 5xx come as plain text. */
export function recraftError(status: number, message: string): Reply {
  return status === 400 ? json(400, { code: 'invalid_request', message }) : text(status, message)
}

const ROUTES = /^\/v1\/(?:images\/(generations|imageToImage|removeBackground|vectorize)|(styles))$/

export type RecraftFake = FakeServer & { styles: Map<string, { model: string, references: number }> }

export async function startRecraftFake(token: string): Promise<RecraftFake> {
  // Styles this fake made, by id: a generation with another style_id is refused, as Recraft would.
  const styles = new Map<string, { model: string, references: number }>()
  const fake = await startFake({
    errorReply: recraftError,
    async api(req, fake) {
      const route = ROUTES.exec(req.path)
      if (req.method !== 'POST' || !route)
        return text(404, '404 page not found')
      if (req.headers.authorization !== `Bearer ${token}`)
        return text(401, 'request unauthorized')
      const endpoint = route[1] ?? route[2]!
      const form = await formOf(req.body, req.headers['content-type'])
      if (endpoint === 'styles')
        return createStyle(form, styles)
      if (endpoint === 'removeBackground' || endpoint === 'vectorize')
        return tool(fake, endpoint, form)

      let body: Record<string, any>
      let image: Buffer | undefined
      if (endpoint === 'imageToImage') {
        image = await bytesOf(form?.get('image') ?? null)
        if (!form || !image)
          return recraftError(400, 'image is required')
        body = Object.fromEntries([...form.entries()].filter(([k]) => k !== 'image'))
        body.n = body.n === undefined ? undefined : Number(body.n)
        if (body.controls)
          body.controls = JSON.parse(body.controls)
        if (body.size !== undefined)
          return recraftError(400, 'imageToImage has no size parameter')
        if (!(Number(body.strength) >= 0 && Number(body.strength) <= 1))
          return recraftError(400, 'strength must be between 0 and 1')
        // The documented input limits: under 10 MB, each side 256–4096 px (16 MP is then implied).
        const { width = 0, height = 0 } = await import('sharp').then(({ default: sharp }) => sharp(image!).metadata())
        if (image.length > 10 * 1024 * 1024 || Math.min(width, height) < 256 || Math.max(width, height) > 4096)
          return recraftError(400, `image must be under 10 MB with sides from 256 to 4096 px, got ${width}x${height} and ${image.length} bytes`)
      }
      else {
        if (!req.json)
          return recraftError(400, 'body must be JSON')
        body = req.json
      }
      const model = body.model ?? 'recraftv4_1'
      const sizes = MODELS[model]
      if (!sizes)
        return recraftError(400, `unknown model ${body.model}`)
      if (typeof body.prompt !== 'string' || body.prompt === '')
        return recraftError(400, 'prompt is required')
      const vector = model.endsWith('_vector')
      if (body.style_id !== undefined) {
        const style = styles.get(body.style_id)
        if (!style)
          return recraftError(400, `style ${body.style_id} not found`)
        if (style.model.endsWith('_vector') !== vector)
          return recraftError(400, `style ${body.style_id} belongs to ${style.model} and cannot be used with ${model}`)
      }
      const size = image ? undefined : body.size ?? '1024x1024'
      if (size !== undefined && !sizes.includes(size))
        return recraftError(400, `invalid size ${size} for ${model}`)
      const n = body.n ?? 1
      if (!Number.isInteger(n) || n < 1 || n > 6)
        return recraftError(400, 'n must be between 1 and 6')
      const format = body.response_format ?? 'url'
      if (!['url', 'b64_json'].includes(format))
        return recraftError(400, `invalid response_format ${format}`)
      const [width, height] = size
        ? parseSize(size)!
        : await import('sharp').then(async ({ default: sharp }) => {
            const m = await sharp(image!).metadata()
            return [m.width!, m.height!]
          })
      const data = []
      for (let i = 0; i < n; i++) {
        const bytes = vector ? vectorImage(fake, width!, height!) : await fake.image(width!, height!, 'webp')
        const type = vector ? 'svg' : 'webp'
        data.push({ image_id: crypto.randomUUID(), ...(format === 'url' ? { url: fake.host(bytes, type) } : { b64_json: bytes.toString('base64') }) })
      }
      return json(200, { created: Math.floor(Date.now() / 1000), credits: RECRAFT_CREDITS[model]! * n, data })
    },
  })
  return Object.assign(fake, { styles })
}

/** removeBackground and vectorize: multipart `image` in, one `image` object out. */
async function tool(fake: FakeServer, endpoint: 'removeBackground' | 'vectorize', form: FormData | undefined): Promise<Reply> {
  const image = await bytesOf(form?.get('image') ?? null)
  if (!form || !image)
    return recraftError(400, 'image is required')
  const format = String(form.get('response_format') ?? 'url')
  let made: { bytes: Buffer, type: 'png' | 'svg' }
  if (endpoint === 'vectorize') {
    if (image.subarray(0, 5).toString() === '<?xml' || image.toString('utf8', 0, 200).includes('<svg'))
      return recraftError(400, 'vectorize takes PNG, JPG or WEBP')
    made = { bytes: await vectorize(fake, image), type: 'svg' }
  }
  else {
    made = await removeBackground(image)
  }
  return json(200, {
    created: Math.floor(Date.now() / 1000),
    credits: RECRAFT_CREDITS[endpoint],
    image: { image_id: crypto.randomUUID(), ...(format === 'url' ? { url: fake.host(made.bytes, made.type) } : { b64_json: made.bytes.toString('base64') }) },
  })
}

/** `POST /v1/styles`: 1–10 files in `images`, a pool in `model`; answers the style's id. */
async function createStyle(form: FormData | undefined, styles: Map<string, { model: string, references: number }>): Promise<Reply> {
  const images = form?.getAll('images').filter(part => part instanceof Blob && part.size > 0) ?? []
  if (images.length < 1 || images.length > 10)
    return recraftError(400, 'images: 1 to 10 reference images are required')
  const model = String(form!.get('model') ?? '')
  if (!['recraftv4_styles', 'recraftv4_styles_vector', 'recraftv4_styles_pro', 'recraftv4_styles_pro_vector'].includes(model))
    return recraftError(400, `invalid style model ${model}`)
  const id = crypto.randomUUID()
  styles.set(id, { model, references: images.length })
  return json(200, { id, style: 'any', creation_time: new Date().toISOString(), is_private: true, credits: RECRAFT_CREDITS.styles })
}
