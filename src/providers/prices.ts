/**
 * What one generated image costs, per provider and model, in USD. It feeds the
 * dry-run estimate and the budget (`--max-cost`, `budget`). The actual cost a
 * provider reports (Runware's `includeCost`, Recraft's credits) always wins
 * over these numbers once a run has happened.
 *
 * Prices change: these are rough public list prices, checked when written.
 * `estimate: true` marks the ones we could not confirm from the provider's
 * own page for this exact model.
 */
export interface Price {
  /** USD per image (per variant). */
  usd: number
  /** Not confirmed for this exact model: a rough public price. */
  estimate: boolean
  /** Where the number comes from. */
  source: string
}

export const PRICES: Record<string, Record<string, Price>> = {
  cloudflare: {
    'recraft/recraftv4-1': { usd: 0.04, estimate: false, source: 'Cloudflare Workers AI model page: about $0.04 per image' },
    // Cloudflare shows vector prices only in its dashboard: Recraft's own list prices, as a rough guide.
    'recraft/recraftv4-1-vector': { usd: 0.08, estimate: true, source: 'not published outside the Cloudflare dashboard; Recraft\'s V4.1 Vector list price' },
    'recraft/recraftv4-1-pro-vector': { usd: 0.30, estimate: true, source: 'not published outside the Cloudflare dashboard; Recraft\'s V4 Pro Vector list price' },
    'recraft/recraftv4-1-utility-vector': { usd: 0.08, estimate: true, source: 'not published outside the Cloudflare dashboard; Recraft\'s V4.1 Vector list price' },
    'recraft/recraftv4-1-utility-pro-vector': { usd: 0.30, estimate: true, source: 'not published outside the Cloudflare dashboard; Recraft\'s V4 Pro Vector list price' },
  },
  runware: {
    'recraft:v4.1@0': { usd: 0.04, estimate: true, source: 'Runware pricing for Recraft V4.1 (about $0.04 per image; Runware reports the exact cost)' },
    'recraft:v4.1-pro@0': { usd: 0.25, estimate: true, source: 'Runware pricing for Recraft V4.1 Pro (about $0.25 per 2K image; Runware reports the exact cost)' },
    'recraft:v4@vector': { usd: 0.08, estimate: false, source: 'Runware model page for Recraft V4 Vector: $0.08 per image' },
    'recraft:v4-pro@vector': { usd: 0.30, estimate: false, source: 'Runware model page for Recraft V4 Pro Vector: $0.30 per image' },
  },
  recraft: {
    recraftv4_1: { usd: 0.04, estimate: true, source: 'Recraft API pricing: about 40 credits ($0.04) per raster image' },
    recraftv4_1_pro: { usd: 0.25, estimate: true, source: 'Recraft API pricing: about 250 credits ($0.25) per 2K raster image' },
    recraftv4_1_utility: { usd: 0.035, estimate: false, source: 'Recraft API pricing: V4.1 Utility $0.035 per image' },
    recraftv4_1_utility_pro: { usd: 0.21, estimate: false, source: 'Recraft API pricing: V4.1 Utility Pro $0.21 per 2K image' },
    recraftv4_1_vector: { usd: 0.08, estimate: false, source: 'Recraft V4.1 model page: Vector $0.08 per image' },
    recraftv4_1_pro_vector: { usd: 0.30, estimate: true, source: 'Recraft V4 Pro Vector price ($0.30), not confirmed for V4.1' },
    recraftv4_1_utility_vector: { usd: 0.08, estimate: true, source: 'the V4.1 Vector price, not confirmed for Utility' },
    recraftv4_1_utility_pro_vector: { usd: 0.30, estimate: true, source: 'the V4 Pro Vector price, not confirmed for Utility Pro' },
  },
  placeholder: {
    placeholder: { usd: 0, estimate: false, source: 'offline, free' },
  },
}

/** The price of one image of `model` on `provider`, or undefined when unknown (custom providers). */
export function priceOf(provider: string, model: string): Price | undefined {
  return Object.hasOwn(PRICES, provider) && Object.hasOwn(PRICES[provider]!, model) ? PRICES[provider]![model] : undefined
}

/** Calls beside generation, each billed per request. */
export type Tool = 'removeBackground' | 'vectorize' | 'createStyle'

export const TOOL_PRICES: Record<string, Partial<Record<Tool, Price>>> = {
  recraft: {
    removeBackground: { usd: 0.01, estimate: false, source: 'Recraft remove-background page: $0.01 per request' },
    vectorize: { usd: 0.01, estimate: false, source: 'Recraft vectorize page: $0.01 per request' },
    createStyle: { usd: 0.04, estimate: true, source: 'an older Recraft price table ($0.04 per style); not published for V4' },
  },
  runware: {
    // Not published: Runware reports the exact cost of each task (includeCost).
    removeBackground: { usd: 0.01, estimate: true, source: 'not published; a rough figure, Runware reports the exact cost' },
    vectorize: { usd: 0.01, estimate: true, source: 'not published; Recraft\'s own vectorize price, Runware reports the exact cost' },
  },
}

/** The price of one `tool` request on `provider`, or undefined when unknown. */
export function toolPriceOf(provider: string, tool: Tool): Price | undefined {
  return Object.hasOwn(TOOL_PRICES, provider) ? TOOL_PRICES[provider]![tool] : undefined
}
