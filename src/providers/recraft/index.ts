/**
 * Recraft V4.1 on Recraft's own API (README: Providers › Recraft API): `/images/generations`
 * with `n` images per call, answered with URLs or base64 and the credits spent.
 * With a reference image, `/images/imageToImage` (multipart) instead. Vector
 * models answer SVG through the same endpoints; background removal,
 * vectorize and styles are in tools.ts.
 */
import type { BuiltinProvider, BuiltinProviderSettings } from '../builtin'
import type { GenerateRequest, Provider } from '../types'
import type { RecraftCall } from './tools'
import { z } from 'zod'
import { factoryBasics } from '../builtin'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, httpOptions, httpOptionsShape, postJSON } from '../http'
import { SIZES_1K, SIZES_2K } from '../models'
import { checkOwnedOptions, checkSize, credential, merge, OWNED_BY_ASSET, recraftControls, styleFields } from '../wire'
import { createStyle, creditsToUSD, filePart, imageTool } from './tools'

const CREDENTIALS = ['RECRAFT_API_TOKEN'] as const
const DASHBOARD = 'your Recraft account (https://www.recraft.ai, API usage)'

export const recraft: BuiltinProvider = {
  defaultModel: 'recraftv4_1',
  models: {
    recraftv4_1: SIZES_1K,
    recraftv4_1_pro: SIZES_2K,
    // The cheaper tiers (README: Cheaper tiers).
    recraftv4_1_utility: SIZES_1K,
    recraftv4_1_utility_pro: SIZES_2K,
    // Vector sizes are inferred from Runware's and Cloudflare's pages for the same models.
    recraftv4_1_vector: SIZES_1K,
    recraftv4_1_pro_vector: SIZES_2K,
    recraftv4_1_utility_vector: SIZES_1K,
    recraftv4_1_utility_pro_vector: SIZES_2K,
  },
  vectorModels: {
    recraftv4_1: 'recraftv4_1_vector',
    recraftv4_1_pro: 'recraftv4_1_pro_vector',
    recraftv4_1_utility: 'recraftv4_1_utility_vector',
    recraftv4_1_utility_pro: 'recraftv4_1_utility_pro_vector',
    recraftv4_1_vector: 'recraftv4_1_vector',
    recraftv4_1_pro_vector: 'recraftv4_1_pro_vector',
    recraftv4_1_utility_vector: 'recraftv4_1_utility_vector',
    recraftv4_1_utility_pro_vector: 'recraftv4_1_utility_pro_vector',
  },
  capabilities: ['vector', 'transparent', 'transparent-svg', 'vectorize', 'brands', 'strength'],
  // /images/imageToImage takes "under 10 MB; at most 16 MP; each side 256–4096 px" (README "Image-to-image
  // with strength"). 16 MP read as 16 × 2^20 is 4096², which the sides already bound.
  referenceImage: { endpoint: 'Recraft\'s image-to-image', minSide: 256, maxSide: 4096, maxBytes: 10 * 1024 * 1024 },
  credentials: CREDENTIALS,
  ownedOptions: {
    ...OWNED_BY_ASSET,
    n: 'the asset\'s `variants`',
    response_format: 'the provider\'s `responseFormat` setting',
    style_id: 'the asset\'s `brand` (a style made from the brand\'s references)',
    strength: 'the asset\'s `strength`',
  },
  options: {
    ...httpOptionsShape,
    /** `b64_json` (default) saves a download; `url` answers links that expire in about a day. */
    responseFormat: z.enum(['url', 'b64_json']).optional(),
    /** With a reference image, when the asset sets no `strength`: how far the result may move from it, 0–1. */
    strength: z.number().min(0).max(1).optional(),
  },
  create: settings => createRecraft(settings),
}

function createRecraft(settings: BuiltinProviderSettings): Provider {
  const { baseURL } = factoryBasics(recraft, settings, 'https://external.api.recraft.ai/v1')
  const responseFormat = (settings.responseFormat as string | undefined) ?? 'b64_json'
  const call = (env: Record<string, string | undefined>, signal: AbortSignal): RecraftCall => ({
    http: httpOptions(settings, env, CREDENTIALS, DASHBOARD),
    baseURL,
    token: credential(env, 'RECRAFT_API_TOKEN'),
    signal,
  })
  return {
    name: 'recraft',
    model: settings.model,
    credentials: CREDENTIALS,
    sizes: recraft.models[settings.model],
    async generate(request, { env, signal, answered }) {
      // An asset may ask for another model of this provider (`vector: true` picks the vector one).
      const model = Object.hasOwn(recraft.models, request.model) ? request.model : settings.model
      const { http, token } = call(env, signal)
      const size = checkSize(recraft.models[model], model, request)
      checkOwnedOptions(recraft.ownedOptions, 'recraft', request)
      const controls = recraftControls(request)
      const fields = merge({
        prompt: request.prompt,
        model,
        // imageToImage has no size: the result takes the reference's.
        ...(request.image ? {} : { size }),
        n: request.variants,
        response_format: responseFormat,
        ...styleFields(request),
        ...(request.styleId ? { style_id: request.styleId } : {}),
        ...(controls ? { controls } : {}),
      }, request.providerOptions)

      const answer = await postJSON(http, {
        url: `${baseURL}/images/${request.image ? 'imageToImage' : 'generations'}`,
        headers: { authorization: `Bearer ${token}` },
        body: request.image ? imageToImageForm(fields, request.image, request.strength ?? (settings.strength as number | undefined)) : fields,
        signal,
      })
      await answered?.()
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
      return { images, cost: creditsToUSD(body?.credits) }
    },
    removeBackground: (request, { env, signal, answered }) => imageTool({ ...call(env, signal), answered }, 'removeBackground', request.image, responseFormat),
    vectorize: (request, { env, signal, answered }) => imageTool({ ...call(env, signal), answered }, 'vectorize', request.image, responseFormat),
    createStyle: (request, { env, signal }) => createStyle(call(env, signal), request),
  }
}

/**
 * Image-to-image is a multipart form with the file in `image`, a `strength`,
 * and the other fields as form values, objects (`controls`) as JSON text.
 */
function imageToImageForm(fields: Record<string, unknown>, image: NonNullable<GenerateRequest['image']>, strength = 0.5): FormData {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined)
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  form.append('strength', String(strength))
  const part = filePart(image.bytes)
  form.append('image', part, `reference.${part.type.split('/')[1]?.replace('svg+xml', 'svg') ?? 'bin'}`)
  return form
}
