/**
 * Recraft's tools beside generation (README: SVG, transparency and brand styles): background
 * removal and vectorize, each one multipart POST of the image answered with
 * one `image`; and style creation from a brand's reference images.
 */
import type { HttpOptions } from '../http'
import type { ImageToolResult, StyleRequest, StyleResult } from '../types'
import { afterPaidCall, decodeImage, download, excerpt, HttpError, postJSON } from '../http'
import { mimeType } from '../wire'

/** Recraft bills in credits; 1 USD buys 1000. */
export const CREDITS_PER_USD = 1000

export interface RecraftCall {
  http: HttpOptions
  baseURL: string
  token: string
  signal: AbortSignal
  /** The call's paid request has answered (GenerateContext.answered). */
  answered?: () => Promise<void>
}

/** A file part named by its bytes' type, whatever the path it came from. */
export function filePart(bytes: Buffer): Blob {
  return new Blob([new Uint8Array(bytes)], { type: mimeType(bytes) }) as Blob & { name?: string }
}

function extensionOf(bytes: Buffer): string {
  const type = mimeType(bytes)
  return type === 'image/svg+xml' ? 'svg' : type.split('/')[1] ?? 'bin'
}

/**
 * `removeBackground` or `vectorize`: the image as the multipart field `image`.
 * The answer is one `image` object (not a `data` array); a `data` array is
 * read too, in case a gateway answers in the generation's shape.
 */
export async function imageTool(call: RecraftCall, tool: 'removeBackground' | 'vectorize', image: Buffer, responseFormat: string): Promise<ImageToolResult> {
  const form = new FormData()
  form.append('image', filePart(image), `image.${extensionOf(image)}`)
  form.append('response_format', responseFormat)
  // Raster output keeps its alpha in PNG (the default, lossless WebP, does too, but PNG is what every tool reads).
  if (tool === 'removeBackground')
    form.append('image_format', 'png')
  const answer = await postJSON(call.http, {
    url: `${call.baseURL}/images/${tool}`,
    headers: { authorization: `Bearer ${call.token}` },
    body: form,
    signal: call.signal,
  })
  await call.answered?.()
  const body = answer as { credits?: unknown, image?: { url?: unknown, b64_json?: unknown }, data?: { url?: unknown, b64_json?: unknown }[] } | null
  const item = body?.image ?? (Array.isArray(body?.data) ? body.data[0] : undefined)
  const bytes = await afterPaidCall(call.http, () => {
    if (typeof item?.b64_json === 'string')
      return decodeImage(item.b64_json, 'image.b64_json')
    if (typeof item?.url === 'string')
      return download(call.http, item.url, call.signal)
    throw new HttpError(`HTTP 200 with neither image.url nor image.b64_json: ${excerpt(JSON.stringify(answer))}`, 200)
  })
  return { image: bytes, cost: creditsToUSD(body?.credits) }
}

/**
 * `POST /styles`: the references as repeated `images` parts (the name in
 * Recraft's OpenAPI and its MCP client) in the raster or the vector pool.
 * The answer's `id` is the `style_id`.
 */
export async function createStyle(call: RecraftCall, request: StyleRequest): Promise<StyleResult> {
  const form = new FormData()
  form.append('model', request.vector ? 'recraftv4_styles_vector' : 'recraftv4_styles')
  request.references.forEach((reference, i) => form.append('images', filePart(reference.bytes), `reference-${i + 1}.${extensionOf(reference.bytes)}`))
  const answer = await postJSON(call.http, {
    url: `${call.baseURL}/styles`,
    headers: { authorization: `Bearer ${call.token}` },
    body: form,
    signal: call.signal,
  })
  const body = answer as { id?: unknown, style_id?: unknown, credits?: unknown } | null
  const id = body?.id ?? body?.style_id
  if (typeof id !== 'string' || id === '')
    throw new HttpError(`HTTP 200 without a style id: ${excerpt(JSON.stringify(answer))}`, 200)
  return { styleId: id, cost: creditsToUSD(body?.credits) }
}

export function creditsToUSD(credits: unknown): number | undefined {
  return typeof credits === 'number' ? credits / CREDITS_PER_USD : undefined
}
