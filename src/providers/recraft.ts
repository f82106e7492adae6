/**
 * Recraft V4.1 on Recraft's own API (README: Providers › Recraft API): `/images/generations`
 * with `n` images per call, answered with URLs or base64 and the credits spent.
 * With a reference image, `/images/imageToImage` (multipart) instead.
 */
import type { BuiltinProvider, BuiltinProviderSettings } from './builtin'
import type { GenerateRequest, Provider } from './types'
import { z } from 'zod'
import { factoryBasics } from './builtin'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, httpOptions, httpOptionsShape, postJSON } from './http'
import { SIZES_1K, SIZES_2K } from './models'
import { checkOwnedOptions, checkSize, credential, merge, mimeType, OWNED_BY_ASSET, recraftControls, styleFields } from './wire'

const CREDENTIALS = ['RECRAFT_API_TOKEN'] as const
const DASHBOARD = 'your Recraft account (https://www.recraft.ai, API usage)'
/** Recraft bills in credits; 1 USD buys 1000. */
const CREDITS_PER_USD = 1000

export const recraft: BuiltinProvider = {
  defaultModel: 'recraftv4_1',
  models: { recraftv4_1: SIZES_1K, recraftv4_1_pro: SIZES_2K },
  credentials: CREDENTIALS,
  ownedOptions: {
    ...OWNED_BY_ASSET,
    n: 'the asset\'s `variants`',
    response_format: 'the provider\'s `responseFormat` setting',
  },
  options: {
    ...httpOptionsShape,
    /** `b64_json` (default) saves a download; `url` answers links that expire in about a day. */
    responseFormat: z.enum(['url', 'b64_json']).optional(),
    /** With a reference image: how far the result may move from it, 0–1. */
    strength: z.number().min(0).max(1).optional(),
  },
  create: settings => createRecraft(settings),
}

function createRecraft(settings: BuiltinProviderSettings): Provider {
  const { model, sizes, baseURL } = factoryBasics(recraft, settings, 'https://external.api.recraft.ai/v1')
  return {
    name: 'recraft',
    model,
    credentials: CREDENTIALS,
    sizes,
    async generate(request, { env, signal }) {
      const token = credential(env, 'RECRAFT_API_TOKEN')
      const size = checkSize(sizes, model, request)
      checkOwnedOptions(recraft.ownedOptions, 'recraft', request)
      const http = httpOptions(settings, env, CREDENTIALS, DASHBOARD)
      const controls = recraftControls(request)
      const fields = merge({
        prompt: request.prompt,
        model,
        size,
        n: request.variants,
        response_format: settings.responseFormat ?? 'b64_json',
        ...styleFields(request),
        ...(controls ? { controls } : {}),
      }, request.providerOptions)

      const answer = await postJSON(http, {
        url: `${baseURL}/images/${request.image ? 'imageToImage' : 'generations'}`,
        headers: { authorization: `Bearer ${token}` },
        body: request.image ? imageToImageForm(fields, request.image, settings.strength as number | undefined) : fields,
        signal,
      })
      const body = answer as { credits?: unknown, data?: unknown } | null
      const data = Array.isArray(body?.data) ? body.data as { url?: unknown, b64_json?: unknown }[] : undefined
      if (!data || data.length < request.variants)
        throw new HttpError(`HTTP 200 ${data ? `with ${data.length} of the ${request.variants} images asked for` : 'without data'}: ${excerpt(JSON.stringify(answer))}`, 200)
      const images = await afterPaidCall(http, () => Promise.all(data.slice(0, request.variants).map((item, i) => {
        if (typeof item?.b64_json === 'string')
          return decodeImage(item.b64_json, `data[${i}].b64_json`)
        if (typeof item?.url === 'string')
          return download(http, item.url, signal)
        throw new HttpError(`HTTP 200 with neither url nor b64_json in data[${i}]: ${excerpt(JSON.stringify(item))}`, 200)
      })))
      return { images, cost: typeof body?.credits === 'number' ? body.credits / CREDITS_PER_USD : undefined }
    },
  }
}

/**
 * Inferred from Recraft's reference, as the README says: image-to-image is a
 * multipart form with the file in `image`, a `strength`, and the other fields
 * as form values, objects (`controls`) as JSON text.
 */
function imageToImageForm(fields: Record<string, unknown>, image: NonNullable<GenerateRequest['image']>, strength = 0.5): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined)
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  if (fields.strength === undefined)
    form.append('strength', String(strength))
  const type = mimeType(image.bytes)
  form.append('image', new Blob([new Uint8Array(image.bytes)], { type }), `reference.${type.split('/')[1] ?? 'bin'}`)
  return form
}
