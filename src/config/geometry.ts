/**
 * Bounds of `size` and `aspect` that the schema's patterns cannot say: a size
 * the provider can make without exhausting memory, an aspect ratio with
 * positive parts within reason, and widths that leave a derivative at least
 * one pixel high. Each returns why a value is refused, or undefined.
 */

/**
 * Longest side of a size asked of a custom provider that declares no `sizes`:
 * 16383 is the side of the largest square sharp decodes by default
 * (`limitInputPixels`, 268402689 pixels), so a larger original could not be
 * made into derivatives after it was paid for.
 */
export const MAX_SIDE_ANY_PROVIDER = 16383

/**
 * The widest `aspect`, either way: 16:1 (and 1:16). The widest web banners are
 * about 11:1 (970×90); beyond 16:1 a derivative is a sliver of its original.
 */
export const MAX_ASPECT = 16

export const ACCEPTED_ASPECTS = `"W:H" with W and H positive numbers, from 1:${MAX_ASPECT} to ${MAX_ASPECT}:1, e.g. "16:9" or "1200:630"`

/** What `sizeProblem` needs of a `ResolvedProvider`: importing that type from provider.ts would close the loop provider.ts → schema.ts → here. */
export interface ProviderSizes {
  name: string
  model: string
  /** Sizes the model accepts; any up to `maxSide` when undefined. */
  sizes?: readonly string[]
  maxSide?: number
}

/** Why the provider cannot make `WxH`. */
export function sizeProblem(width: number, height: number, provider: ProviderSizes): string | undefined {
  const size = `${width}x${height}`
  if (provider.sizes)
    return provider.sizes.includes(size) ? undefined : `${size} is not a size ${provider.model} accepts. Accepted: ${provider.sizes.join(', ')}`
  const maxSide = provider.maxSide ?? MAX_SIDE_ANY_PROVIDER
  if (width <= maxSide && height <= maxSide)
    return undefined
  const why = provider.maxSide === undefined
    ? `larger than sharp decodes by default, so its derivatives could not be made`
    : `larger than the ${provider.name} provider makes`
  return `${size} is ${why}. Accepted: "WxH" with each side from 1 to ${maxSide}`
}

/** `W:H` as W / H, or why it is refused (the schema has checked it is two decimal numbers). */
export function parseAspect(aspect: string): number | { problem: string } {
  const [w, h] = aspect.split(':').map(Number) as [number, number]
  if (!(w > 0 && h > 0))
    return { problem: `${JSON.stringify(aspect)} has a part that is not positive. Accepted: ${ACCEPTED_ASPECTS}` }
  const ratio = w / h
  if (ratio > MAX_ASPECT || ratio < 1 / MAX_ASPECT)
    return { problem: `${JSON.stringify(aspect)} is ${ratio > 1 ? 'wider' : 'taller'} than ${ratio > 1 ? `${MAX_ASPECT}:1` : `1:${MAX_ASPECT}`}. Accepted: ${ACCEPTED_ASPECTS}` }
  return ratio
}

/**
 * Why a derivative `width` pixels wide is less than a pixel high at `ratio`
 * (W / H). Derivatives are at most this wide, so no original makes it better.
 */
export function widthProblem(width: number, ratio: number, aspect: string): string | undefined {
  if (Math.round(width / ratio) >= 1)
    return undefined
  return `${width} at aspect ${aspect} gives a derivative less than 1 pixel high. Accepted: widths of at least ${Math.ceil(ratio / 2)} with this aspect`
}
