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
  },
  runware: {
    'recraft:v4.1@0': { usd: 0.04, estimate: true, source: 'Runware pricing for Recraft V4.1 (about $0.04 per image; Runware reports the exact cost)' },
    'recraft:v4.1-pro@0': { usd: 0.25, estimate: true, source: 'Runware pricing for Recraft V4.1 Pro (about $0.25 per 2K image; Runware reports the exact cost)' },
  },
  recraft: {
    recraftv4_1: { usd: 0.04, estimate: true, source: 'Recraft API pricing: about 40 credits ($0.04) per raster image' },
    recraftv4_1_pro: { usd: 0.25, estimate: true, source: 'Recraft API pricing: about 250 credits ($0.25) per 2K raster image' },
  },
  placeholder: {
    placeholder: { usd: 0, estimate: false, source: 'offline, free' },
  },
}

/** The price of one image of `model` on `provider`, or undefined when unknown (custom providers). */
export function priceOf(provider: string, model: string): Price | undefined {
  return Object.hasOwn(PRICES, provider) && Object.hasOwn(PRICES[provider]!, model) ? PRICES[provider]![model] : undefined
}
