/**
 * Recraft V4.1 on Cloudflare Workers AI (README: Providers › Cloudflare Workers AI): one POST to
 * `/accounts/{id}/ai/run` per image, answered with a URL to download.
 */
import type { BuiltinProvider, BuiltinProviderSettings } from './builtin'
import type { Provider } from './types'
import { z } from 'zod'
import { factoryBasics } from './builtin'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, httpOptions, httpOptionsShape, messageOf, postJSON } from './http'
import { SIZES_1K, SIZES_2K } from './models'
import { checkOwnedOptions, checkSize, credential, dataURI, merge, OWNED_BY_ASSET, recraftControls, styleFields } from './wire'

const CREDENTIALS = ['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN'] as const
const DASHBOARD = 'your Cloudflare dashboard (https://dash.cloudflare.com, AI > Workers AI)'

export const cloudflare: BuiltinProvider = {
  defaultModel: 'recraft/recraftv4-1',
  models: {
    'recraft/recraftv4-1': SIZES_1K,
    // Vector sizes are inferred from Cloudflare's examples (1024x1024, and 2048x2048 for pro).
    'recraft/recraftv4-1-vector': SIZES_1K,
    'recraft/recraftv4-1-pro-vector': SIZES_2K,
    'recraft/recraftv4-1-utility-vector': SIZES_1K,
    'recraft/recraftv4-1-utility-pro-vector': SIZES_2K,
  },
  vectorModels: {
    'recraft/recraftv4-1': 'recraft/recraftv4-1-vector',
    'recraft/recraftv4-1-vector': 'recraft/recraftv4-1-vector',
    'recraft/recraftv4-1-pro-vector': 'recraft/recraftv4-1-pro-vector',
    'recraft/recraftv4-1-utility-vector': 'recraft/recraftv4-1-utility-vector',
    'recraft/recraftv4-1-utility-pro-vector': 'recraft/recraftv4-1-utility-pro-vector',
  },
  // No background-removal, vectorize or style endpoint is in the Workers AI catalogue.
  capabilities: ['vector'],
  credentials: CREDENTIALS,
  // providerOptions go into `input`: these are the input fields the plugin sets.
  // `n` is Recraft's own image count: were it honoured, one call would bill several images.
  ownedOptions: { ...OWNED_BY_ASSET, n: 'the asset\'s `variants`' },
  options: {
    ...httpOptionsShape,
    /** How the reference image travels in `input.image` (a string; its encoding is not documented). */
    imageEncoding: z.enum(['dataURI', 'base64']).optional(),
  },
  create: settings => createCloudflare(settings),
}

function createCloudflare(settings: BuiltinProviderSettings): Provider {
  const { baseURL } = factoryBasics(cloudflare, settings, 'https://api.cloudflare.com/client/v4')
  return {
    name: 'cloudflare',
    model: settings.model,
    credentials: CREDENTIALS,
    sizes: cloudflare.models[settings.model],
    async generate(request, { env, signal, answered }) {
      // An asset may ask for another model of this provider (`vector: true` picks the vector one).
      const model = Object.hasOwn(cloudflare.models, request.model) ? request.model : settings.model
      const sizes = cloudflare.models[model]
      const accountId = credential(env, 'CLOUDFLARE_ACCOUNT_ID')
      const token = credential(env, 'CLOUDFLARE_API_TOKEN')
      const size = checkSize(sizes, model, request)
      checkOwnedOptions(cloudflare.ownedOptions, 'cloudflare', request)
      const http = httpOptions(settings, env, CREDENTIALS, DASHBOARD)
      const controls = recraftControls(request)
      const image = request.image && (settings.imageEncoding === 'base64' ? request.image.bytes.toString('base64') : dataURI(request.image.bytes))
      // providerOptions are model inputs: they go into `input`, beside ours.
      const input = merge({
        prompt: request.prompt,
        size,
        ...styleFields(request),
        ...(image ? { image } : {}),
        ...(controls ? { controls } : {}),
      }, request.providerOptions)

      // Workers AI makes one image per call (no `n`): variants are calls in a
      // row, so that one asset never holds more than one `concurrency` slot.
      const images: Buffer[] = []
      for (let i = 0; i < request.variants; i++) {
        const answer = await postJSON(http, {
          url: `${baseURL}/accounts/${encodeURIComponent(accountId)}/ai/run`,
          headers: { authorization: `Bearer ${token}` },
          body: { model, input },
          signal,
        })
        const result = completed(answer)
        if (i === request.variants - 1)
          await answered?.()
        images.push(await afterPaidCall(http, () => /^https?:\/\//i.test(result) ? download(http, result, signal) : decodeImage(result, 'result.image')))
      }
      return { images }
    },
  }
}

/**
 * `result.image` of a completed answer. `success` may be absent (undocumented)
 * but never false; any `state` but "Completed" is a failure even with HTTP 200.
 */
function completed(answer: unknown): string {
  const body = answer as { success?: unknown, state?: unknown, result?: { image?: unknown } } | null
  if (body?.success === false)
    throw new HttpError(`HTTP 200 with success: false: ${messageOf(body) ?? excerpt(JSON.stringify(body))}`, 200)
  if (body?.state !== undefined && body.state !== 'Completed')
    throw new HttpError(`HTTP 200 with state "${String(body.state)}" instead of "Completed": ${messageOf(body) ?? excerpt(JSON.stringify(body))}`, 200)
  const image = body?.result?.image
  if (typeof image !== 'string' || image === '')
    throw new HttpError(`HTTP 200 without result.image: ${excerpt(JSON.stringify(body))}`, 200)
  return image
}
