/**
 * The calls around a generation that design work needs, in the order a
 * designer would do them by hand: the brand's style first (made once), then
 * the generation in it, then, per image, background removal and vectorize.
 * What comes out of the last step is what gets stored; each call's cost is
 * added to the asset's. They run in the generation's one queue slot, one
 * after another (`pay` in paid-generation.ts), until the last of them has
 * answered.
 */
import type { ResolvedAsset } from '../config/resolve'
import type { GenerateContext } from '../providers/types'
import type { StyleContext } from './brand-styles'
import { ensureStyle } from './brand-styles'

/** USD per kind of call, as the lockfile records them (`costs`). */
export interface CallCosts {
  generate?: number
  createStyle?: number
  vectorize?: number
  removeBackground?: number
}

/** The style id of the asset's brand (made now if the lockfile has none), and what making it cost. */
export async function styleFor(ctx: StyleContext, asset: ResolvedAsset): Promise<{ styleId?: string, cost?: number }> {
  if (!asset.brand)
    return {}
  const style = await ensureStyle(ctx, asset.brand, !!asset.generation.vector)
  return { styleId: style.styleId, cost: style.created ? style.cost : undefined }
}

/** Whether the asset asks for calls after its generation (background removal, vectorize). */
export function hasStepsAfter(asset: ResolvedAsset): boolean {
  return !!(asset.generation.transparent || asset.generation.vectorize)
}

/**
 * Remove the background, then vectorize, as the asset asks; the images that
 * get stored and what the calls cost. `answered` goes to the last paid call.
 */
export async function afterGeneration(ctx: StyleContext, asset: ResolvedAsset, images: Buffer[], answered?: () => Promise<void>): Promise<{ images: Buffer[], costs: CallCosts }> {
  const { provider } = ctx.config
  const context: GenerateContext = { signal: ctx.signal, env: ctx.env, warn: ctx.warn }
  const last = images.length - 1
  const contextOf = (index: number, step: 'removeBackground' | 'vectorize'): GenerateContext =>
    index === last && (step === 'vectorize' || !asset.generation.vectorize) ? { ...context, answered } : context
  const costs: CallCosts = {}
  const add = (field: keyof CallCosts, cost: number | undefined) => {
    if (cost !== undefined)
      costs[field] = roundUSD((costs[field] ?? 0) + cost)
  }
  const out: Buffer[] = []
  for (let [index, image] of images.entries()) {
    // The cut-out first: every provider removes the background of a raster, and its SVG then has none.
    if (asset.generation.transparent) {
      const made = await provider.removeBackground!({ asset: asset.name, image }, contextOf(index, 'removeBackground'))
      image = made!.image
      add('removeBackground', made!.cost)
    }
    if (asset.generation.vectorize) {
      const made = await provider.vectorize!({ asset: asset.name, image }, contextOf(index, 'vectorize'))
      image = made!.image
      add('vectorize', made!.cost)
    }
    out.push(image)
  }
  return { images: out, costs }
}

/** The sum of the costs the provider reported, or undefined when it reported none. */
export function totalCost(costs: CallCosts): number | undefined {
  const values = Object.values(costs).filter((c): c is number => typeof c === 'number')
  return values.length > 0 ? roundUSD(values.reduce((a, b) => a + b, 0)) : undefined
}

function roundUSD(usd: number): number {
  return Math.round(usd * 1e6) / 1e6
}
