/**
 * Public types of unplugin-ai-assets: the shape of `assets.config.ts`, the
 * plugin options and the object an `~ai-assets/<name>` import gives.
 */
import type { Provider } from './providers/types'

export type { RGB } from './common/colors'

export type { GenerateContext, GenerateRequest, GenerateResult, ImageToolRequest, ImageToolResult, Provider, StyleRequest, StyleResult } from './providers/types'

/** `#rgb`, `#rrggbb`, a CSS color name or function (`rgb()`, `hsl()`, `oklch()`…), or `[r, g, b]`. */
export type ColorInput = string | readonly [number, number, number]

export type ImageFormat = 'avif' | 'webp' | 'png' | 'jpeg'

/** The formats an `<img>` fallback may take (README "Picture components"). */
export type FallbackFormat = 'jpeg' | 'png' | 'webp'

/** How a derivative fills its box when `aspect` differs from the original's (sharp's `fit`). */
export type Fit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside'

export type BuiltinProviderName = 'cloudflare' | 'runware' | 'recraft' | 'placeholder'

/** A built-in provider with settings. Provider-specific options sit beside `name`. */
export interface ProviderSettings {
  name: BuiltinProviderName
  /** Model id; each provider has its own default (README "Providers"). */
  model?: string
  /** Endpoint base, for gateways, proxies and tests. */
  baseURL?: string
  /** Per-request timeout in milliseconds. @default 120000 */
  timeout?: number
  /** How many times a transient failure (408, 429, 5xx, network) is retried. @default 4 */
  retries?: number
  [option: string]: unknown
}

export type ProviderInput = BuiltinProviderName | ProviderSettings | Provider

export interface PaletteInput {
  /** Colors the provider should favour. */
  colors?: readonly ColorInput[]
  /** Background color of the generated image. */
  background?: ColorInput
}

/** Fields that change the generated image, and so its generation key. */
export interface GenerationFields<P extends string = string> {
  /**
   * `WxH`; must be a size the chosen model accepts. The placeholder draws each
   * side up to 4096, a custom provider without `sizes` takes each side up to 16383.
   * @default '1024x1024'
   */
  size?: string
  /** A name from `palettes`, or an inline palette. */
  palette?: P | PaletteInput
  /** Overrides the palette's colors. */
  colors?: readonly ColorInput[]
  /** Overrides the palette's background. */
  background?: ColorInput
  style?: string
  substyle?: string
  /**
   * Path of a PNG, JPEG or WebP reference image, relative to the config file.
   * It must lie (symlinks resolved) inside the config's folder or a folder of `allowImagesFrom`.
   */
  image?: string
  /** How many candidates to generate (1–6); choose one with `ai-assets pick`. @default 1 */
  variants?: number
  /** Passed through to the provider's request as they are. */
  providerOptions?: Record<string, unknown>
  /**
   * An SVG from the provider's vector model of the same tier (README "SVG assets").
   * @default true when the provider's `model` is a vector model, else false
   */
  vector?: boolean
  /** Remove the background after generation; the cut-out is the stored original. @default false */
  transparent?: boolean
  /** Turn the raster original into SVG (for icons that only exist as raster). @default false */
  vectorize?: boolean
  /** Generate in the style made from this entry of `brands`. */
  brand?: string
  /** With `image`: how far the result may move from the reference, 0–1 (Recraft's image-to-image). @default 0.5 */
  strength?: number
}

/** Fields that only shape the emitted files: changing them never regenerates. */
export interface OutputFields {
  /** Widths to emit, never larger than the original. @default [640, 1280] */
  widths?: readonly number[]
  /**
   * Formats to emit, one `<source>` each, in this order (README "Picture components").
   * `'svg'` ships an SVG asset's sanitised `.svg`; beside it, raster formats are fallbacks.
   * @default ['webp'], or ['svg'] for an SVG asset
   */
  formats?: readonly (ImageFormat | 'svg')[]
  /**
   * Format of the `<img>` fallback, which `src`, `srcset`, `width` and `height` describe: one every
   * browser shows. `'webp'` is accepted for sites that do not support browsers older than 2020.
   * @default the first of `formats` that is `'png'` or `'jpeg'` (png for a transparent image when both are there); else `'png'` for a transparent image, `'jpeg'` for an opaque one
   */
  fallbackFormat?: FallbackFormat
  /** The `<img>`'s and `<source>`s' `sizes`: how wide the image is drawn, e.g. `'(min-width: 960px) 960px, 100vw'`. @default '100vw' */
  sizes?: string
  /** Encoder quality 1–100 (lossy formats). @default sharp's per-format default */
  quality?: number
  /** Crop or pad each derivative to this aspect ratio, `'W:H'` with positive parts from 1:16 to 16:1 (e.g. `'1200:630'`). @default the original's */
  aspect?: string
  /** How the image fills the `aspect` box. @default 'cover' */
  fit?: Fit
  /** Trim a uniform border first: `true`, or a threshold 1–255. @default false */
  trim?: boolean | number
  /** Alternative text, returned as `alt`. @default '' */
  alt?: string
}

export interface AssetInput<P extends string = string> extends GenerationFields<P>, OutputFields {
  /** What to draw, 1–10000 characters. */
  prompt: string
}

export interface AssetsConfig<P extends string = string> {
  /** @default 'placeholder' */
  provider?: ProviderInput
  /** Committed folder holding originals and the lockfile, relative to the config file. @default 'ai-assets' */
  store?: string
  /**
   * The most one `ai-assets generate` run may spend, in US dollars: a run whose
   * estimate exceeds it is refused, and a run stops before it would exceed it.
   * `--max-cost` overrides it. @default no limit
   */
  budget?: number
  /**
   * Folders outside the config's folder that reference images (`image`) may
   * also come from, relative to the config file (e.g. `['../common/brand']`).
   * Any other path outside the project is refused, so that no unrelated file
   * is ever sent to a provider. @default [] (only the config's folder)
   */
  allowImagesFrom?: readonly string[]
  palettes?: Record<P, PaletteInput>
  /**
   * Brand name → the reference images its style is made from (1–10 PNG, JPEG or
   * WebP files, relative to the config file). Assets opt in with `brand`. @default {}
   */
  brands?: Record<string, { references: readonly string[] }>
  /** Defaults for every asset. */
  defaults?: Partial<Omit<AssetInput<NoInfer<P>>, 'prompt'>>
  /**
   * Asset name → what to generate. Names: lowercase words joined by `-` or `_`,
   * grouped with `/`, each part at most 219 bytes (it becomes a file name).
   */
  assets: Record<string, AssetInput<NoInfer<P>>>
}

/** What `import image from '~ai-assets/<name>'` gives. */
export interface GeneratedImage {
  /** URL of the `<img>` fallback: the largest width in `fallbackFormat`. */
  src: string
  /** Of `src`. */
  width: number
  /** Of `src`. */
  height: number
  /** The fallback's format: `'jpeg'` or `'png'` unless `fallbackFormat` says `'webp'`; `'svg'` for an SVG asset. */
  format: ImageFormat | 'svg'
  /** Every width of the fallback format, for `<img srcset>`. */
  srcset: string
  /** One per entry of `formats`, in order, for `<picture>`'s `<source>`s. */
  sources: { type: string, srcset: string }[]
  /** The asset's `sizes`. @default '100vw' */
  sizes: string
  /** `data:` URL of a tiny blurred image (< 1 KB). */
  placeholder: string
  /** Dominant color, `#rrggbb`. */
  color: string
  /** Whether any pixel is transparent (then the picture components draw no placeholder behind it). */
  transparent: boolean
  alt: string
}

export type PlaceholderPolicy = 'allow' | 'warn' | 'error'

export interface Options {
  /** Path of the config file. @default `assets.config.{ts,mts,js,mjs}` in the bundler's root, else cwd */
  config?: string
  /** Never call a provider; fail listing every asset that is not fresh. @default `true` when `CI` is set */
  frozen?: boolean
  /** Write `ai-assets.d.ts` (or the path given) declaring every asset. @default `true` when a `tsconfig.json` is found */
  dts?: boolean | string
  /** What happens when the provider has no credentials. @default 'warn' */
  placeholders?: PlaceholderPolicy
  /** Provider requests in flight at once. @default 4 */
  concurrency?: number
  /**
   * Assets whose images are made (decoded, resized, encoded) at once; each
   * holds its decoded original, so this bounds a cold build's memory. Cached
   * images never wait for it. @default os.availableParallelism(), the number of cores
   */
  deriveConcurrency?: number
}
