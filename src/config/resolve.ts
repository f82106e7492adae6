/**
 * From a parsed config to what the pipeline works with: every asset with its
 * defaults, palette and provider applied, its reference image hashed and its
 * generation key computed. Checks that need the whole config live here.
 */
import type { FallbackFormat, Fit, ImageFormat, RGB } from '../types'
import type { GenerationInputs } from '../core/key'
import type { ConfigIssue } from './errors'
import type { ResolvedProvider } from './provider'
import type { ParsedAsset, ParsedConfig, ParsedPalette } from './schema'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { generationKey, sha256 } from '../core/key'
import { AssetsConfigError } from './errors'
import { resolveProvider } from './provider'
import { ASSET_NAME } from './schema'
import { didYouMean } from './suggest'

export interface OutputSpec {
  widths: number[]
  formats: ImageFormat[]
  /** As configured; when unset, derive picks png or jpeg once it knows whether the image is transparent. */
  fallbackFormat?: FallbackFormat
  sizes: string
  quality?: number
  /** Width over height of each derivative's box, when cropping or padding. */
  aspect?: number
  fit: Fit
  /** Trim threshold, or false. */
  trim: number | false
  alt: string
}

export interface ResolvedAsset {
  name: string
  /** The generation key (DESIGN §3). */
  key: string
  generation: GenerationInputs
  /** Absolute path of the reference image. */
  imagePath?: string
  /** The named palette it uses, if any (for the preview). */
  palette?: string
  output: OutputSpec
}

export interface ResolvedConfig extends ResolvedProvider {
  /** Absolute path of the config file. */
  file: string
  /** Absolute path of the store folder. */
  store: string
  /** USD one CLI run may spend (`budget`). */
  budget?: number
  assets: Map<string, ResolvedAsset>
}

export const DEFAULT_SIZE = '1024x1024'
export const DEFAULT_WIDTHS = [640, 1280]
export const DEFAULT_FORMATS: ImageFormat[] = ['webp']
/** What a browser assumes when `sizes` is missing: the image spans the viewport. */
export const DEFAULT_SIZES = '100vw'

export function resolveConfig(file: string, config: ParsedConfig): ResolvedConfig {
  const issues: ConfigIssue[] = []
  const root = dirname(file)
  const provider = resolveProvider(config.provider, issues)
  const palettes = config.palettes ?? {}
  const defaults = config.defaults ?? {}

  const paletteOf = (value: ParsedAsset['palette'], path: PropertyKey[]): ParsedPalette | undefined => {
    if (typeof value !== 'string')
      return value
    if (value in palettes)
      return palettes[value]
    const names = Object.keys(palettes)
    issues.push({ path, message: `no palette named "${value}"${didYouMean(value, names)}. Accepted: ${names.length > 0 ? names.map(n => `"${n}"`).join(', ') : 'no palettes are defined'}, or an inline { colors?, background? }` })
    return undefined
  }
  const defaultPalette = paletteOf(defaults.palette, ['defaults', 'palette'])

  const assets = new Map<string, ResolvedAsset>()
  for (const [name, asset] of Object.entries(config.assets)) {
    if (!ASSET_NAME.test(name)) {
      issues.push({ path: ['assets', name], message: 'invalid asset name. Accepted: lowercase words of a–z and 0–9 joined by "-" or "_", optionally grouped with "/" (e.g. "hero", "icons/bolt")' })
      continue
    }
    const at = (field: string) => ['assets', name, field]
    const ownPalette = asset.palette === undefined ? undefined : paletteOf(asset.palette, at('palette'))
    const colors: RGB[] = asset.colors ?? ownPalette?.colors ?? defaults.colors ?? defaultPalette?.colors ?? []
    const background = asset.background ?? ownPalette?.background ?? defaults.background ?? defaultPalette?.background

    const size = asset.size ?? defaults.size ?? DEFAULT_SIZE
    if (provider?.sizes && !provider.sizes.includes(size)) {
      issues.push({ path: at('size'), message: `${size} is not a size ${provider.model} accepts. Accepted: ${provider.sizes.join(', ')}` })
    }
    const [width, height] = size.split('x').map(Number) as [number, number]

    const image = asset.image ?? defaults.image
    let imagePath: string | undefined
    let imageHash: string | undefined
    if (image !== undefined) {
      imagePath = resolve(root, image)
      try {
        imageHash = sha256(readFileSync(imagePath))
      }
      catch (error) {
        issues.push({ path: at('image'), message: `cannot read reference image ${imagePath} (${(error as NodeJS.ErrnoException).code ?? error}). Accepted: a path to an image file, relative to the config file` })
      }
    }

    const generation: GenerationInputs = {
      provider: provider?.name ?? '',
      model: provider?.model ?? '',
      prompt: asset.prompt,
      width,
      height,
      colors,
      background,
      style: asset.style ?? defaults.style,
      substyle: asset.substyle ?? defaults.substyle,
      image: imageHash,
      providerOptions: { ...defaults.providerOptions, ...asset.providerOptions },
      variants: asset.variants ?? defaults.variants ?? 1,
    }
    const aspect = asset.aspect ?? defaults.aspect
    assets.set(name, {
      name,
      key: generationKey(generation),
      generation,
      imagePath,
      palette: typeof (asset.palette ?? defaults.palette) === 'string' ? (asset.palette ?? defaults.palette) as string : undefined,
      output: {
        widths: [...new Set(asset.widths ?? defaults.widths ?? DEFAULT_WIDTHS)].sort((a, b) => a - b),
        formats: [...new Set(asset.formats ?? defaults.formats ?? DEFAULT_FORMATS)],
        fallbackFormat: asset.fallbackFormat ?? defaults.fallbackFormat,
        sizes: asset.sizes ?? defaults.sizes ?? DEFAULT_SIZES,
        quality: asset.quality ?? defaults.quality,
        aspect: aspect === undefined ? undefined : ratio(aspect),
        fit: asset.fit ?? defaults.fit ?? 'cover',
        trim: trimThreshold(asset.trim ?? defaults.trim),
        alt: asset.alt ?? defaults.alt ?? '',
      },
    })
  }

  if (issues.length > 0 || !provider)
    throw new AssetsConfigError(file, issues)
  return { ...provider, file, store: resolve(root, config.store ?? 'ai-assets'), budget: config.budget, assets }
}

function ratio(aspect: string): number {
  const [w, h] = aspect.split(':').map(Number) as [number, number]
  return w / h
}

function trimThreshold(trim: boolean | number | undefined): number | false {
  if (trim === true)
    return 10
  return typeof trim === 'number' ? trim : false
}
