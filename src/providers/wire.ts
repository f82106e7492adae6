import type { RGB } from '../common/colors'
/**
 * Small pieces of request building that the three Recraft providers share:
 * Recraft's `{ rgb }` colors, reference images as data URIs, the merge of
 * `providerOptions`, and the checks every provider repeats before it spends
 * anything.
 */
import type { OwnedOptions } from './builtin'
import type { GenerateRequest } from './types'
import { isPlainObject } from '../common/objects'
import { HttpError } from './http-error'
import { isSvg } from './svg-bytes'

/** Recraft's color object, the same on all three APIs. */
export const rgb = (color: RGB) => ({ rgb: [color[0], color[1], color[2]] })

/** The image's MIME type from its magic bytes (the reference image is a file of any name). */
export function mimeType(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])))
    return 'image/png'
  if (bytes[0] === 0xFF && bytes[1] === 0xD8)
    return 'image/jpeg'
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp'
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8')
    return 'image/gif'
  if (isSvg(bytes))
    return 'image/svg+xml'
  return 'application/octet-stream'
}

export function dataURI(bytes: Buffer): string {
  return `data:${mimeType(bytes)};base64,${bytes.toString('base64')}`
}

/**
 * `providerOptions` laid over the request we built: objects merge key by key
 * (so `{ settings: { … } }` adds to Runware's settings rather than replacing
 * our palette), anything else replaces.
 */
export function merge<T extends Record<string, unknown>>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key]
    out[key] = isPlainObject(current) && isPlainObject(value) ? merge(current, value) : value
  }
  return out as T
}

/** Owned fields every Recraft API takes under the same names. */
export const OWNED_BY_ASSET = {
  prompt: 'the asset\'s `prompt`',
  size: 'the asset\'s `size`',
  style: 'the asset\'s `style`',
  substyle: 'the asset\'s `substyle`',
  image: 'the asset\'s `image` (a reference image file)',
  model: 'the provider\'s `model` setting',
} as const

/** Why an owned field may not come from `providerOptions`, and what sets it instead. */
export function ownedOptionMessage(field: string, provider: string, instead: string): string {
  return `"${field}" is sent by the plugin to ${provider} and cannot be overridden in providerOptions: what is sent, and paid for, must be what the config says and the estimate counts. Accepted: ${instead}`
}

/**
 * The config loader refuses owned fields in providerOptions already; checking
 * again here keeps direct calls of `generate` from paying for more than asked.
 */
export function checkOwnedOptions(owned: OwnedOptions, provider: string, request: GenerateRequest): void {
  const field = Object.keys(request.providerOptions).find(key => Object.hasOwn(owned, key))
  if (field !== undefined)
    throw new HttpError(`providerOptions: ${ownedOptionMessage(field, provider, owned[field]!)}`)
}

/**
 * A credential from `context.env`, the only place they come from. The pipeline
 * already falls back to a placeholder when one is missing; this guards direct
 * calls of `generate`.
 */
export function credential(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]
  if (!value)
    throw new HttpError(`${name} is not set in the environment`)
  return value
}

/** The config loader checks sizes already; checking again here keeps direct calls from paying for a 400. */
export function checkSize(sizes: readonly string[] | undefined, model: string, request: GenerateRequest): string {
  const size = `${request.width}x${request.height}`
  if (sizes && !sizes.includes(size))
    throw new HttpError(`${size} is not a size ${model} accepts. Accepted: ${sizes.join(', ')}`)
  return size
}

/** Palette controls as Recraft's API and Cloudflare name them (`background_color`). */
export function recraftControls(request: GenerateRequest): { colors?: { rgb: number[] }[], background_color?: { rgb: number[] } } | undefined {
  const controls = {
    ...(request.colors.length > 0 ? { colors: request.colors.map(rgb) } : {}),
    ...(request.background ? { background_color: rgb(request.background) } : {}),
  }
  return Object.keys(controls).length > 0 ? controls : undefined
}

/** `style`/`substyle` only when set: the curated styles belong to older Recraft models. */
export function styleFields(request: GenerateRequest): { style?: string, substyle?: string } {
  return {
    ...(request.style ? { style: request.style } : {}),
    ...(request.substyle ? { substyle: request.substyle } : {}),
  }
}
