import type { GenerationInputs } from '../shared/generation-key'
/**
 * From a parsed config to what the pipeline works with: every asset with its
 * defaults, palette and provider applied, its reference image hashed and its
 * generation key computed. Checks that need the whole config live here.
 */
import type { FallbackFormat, Fit, ImageFormat, RGB } from '../types'
import type { ConfigIssue } from './errors'
import type { ResolvedProvider } from './provider'
import type { ReferenceImage } from './reference-image'
import type { ParsedAsset, ParsedConfig, ParsedPalette } from './schema'
import { dirname, resolve } from 'node:path'
import { generationKey } from '../shared/generation-key'
import { AssetsConfigError } from './errors'
import { parseAspect, sizeProblem, widthProblem } from './geometry'
import { assetNameProblem } from './names'
import { checkOwnedOptions } from './owned-options'
import { PROTOTYPE_KEYS } from './prototype-keys'
import { resolveProvider } from './provider'
import { imageRoots, readReferenceImage } from './reference-image'
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
  /** The generation key (README "The store, the lockfile and frozen builds"). */
  key: string
  generation: GenerationInputs
  /** Absolute path of the reference image, symlinks resolved. */
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

/** `issues`: problems found before parsing (prototype keys), listed first in the one error. */
export function resolveConfig(file: string, config: ParsedConfig, issues: ConfigIssue[] = []): ResolvedConfig {
  const root = dirname(file)
  const roots = imageRoots(root, config.allowImagesFrom)
  const provider = resolveProvider(config.provider, issues)
  const palettes = config.palettes ?? {}
  const defaults = config.defaults ?? {}

  const paletteOf = (value: ParsedAsset['palette'], path: PropertyKey[]): ParsedPalette | undefined => {
    if (typeof value !== 'string')
      return value
    if (Object.hasOwn(palettes, value))
      return palettes[value]
    const names = Object.keys(palettes)
    issues.push({ path, message: `no palette named "${value}"${didYouMean(value, names)}. Accepted: ${names.length > 0 ? names.map(n => `"${n}"`).join(', ') : 'no palettes are defined'}, or an inline { colors?, background? }` })
    return undefined
  }
  // One read of a reference image that several assets share (through `defaults`).
  const references = new Map<string, ReferenceImage>()
  const reported = new Set<string>()
  const report = (path: PropertyKey[], message: string) => {
    const id = JSON.stringify([path.map(String), message])
    if (reported.has(id))
      return
    reported.add(id)
    issues.push({ path, message })
  }
  const defaultPalette = paletteOf(defaults.palette, ['defaults', 'palette'])
  checkOwnedOptions(provider?.ownedOptions, provider?.name ?? '', defaults.providerOptions, ['defaults'], issues)

  const assets = new Map<string, ResolvedAsset>()
  for (const [name, asset] of Object.entries(config.assets)) {
    // A prototype key was reported before parsing, with what to rename it to.
    if (PROTOTYPE_KEYS.has(name))
      continue
    const nameProblem = assetNameProblem(name)
    if (nameProblem) {
      issues.push({ path: ['assets', name], message: nameProblem })
      continue
    }
    const at = (field: string) => ['assets', name, field]
    // A value taken from `defaults` is reported once, there, rather than once per asset.
    const from = (field: Exclude<keyof ParsedAsset, 'prompt'>) => asset[field] === undefined && defaults[field] !== undefined ? ['defaults', field] : at(field)
    checkOwnedOptions(provider?.ownedOptions, provider?.name ?? '', asset.providerOptions, ['assets', name], issues)
    const ownPalette = asset.palette === undefined ? undefined : paletteOf(asset.palette, at('palette'))
    const colors: RGB[] = asset.colors ?? ownPalette?.colors ?? defaults.colors ?? defaultPalette?.colors ?? []
    const background = asset.background ?? ownPalette?.background ?? defaults.background ?? defaultPalette?.background

    const size = asset.size ?? defaults.size ?? DEFAULT_SIZE
    const [width, height] = size.split('x').map(Number) as [number, number]
    const badSize = provider && sizeProblem(width, height, provider)
    if (badSize)
      report(from('size'), badSize)

    const image = asset.image ?? defaults.image
    let imagePath: string | undefined
    let imageHash: string | undefined
    if (image !== undefined) {
      const reference = references.get(image) ?? readReferenceImage(image, root, roots)
      references.set(image, reference)
      if ('problem' in reference)
        report(from('image'), reference.problem)
      else
        ({ path: imagePath, sha256: imageHash } = reference)
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
    const widths = [...new Set(asset.widths ?? defaults.widths ?? DEFAULT_WIDTHS)].sort((a, b) => a - b)
    const ratio = aspect === undefined ? undefined : parseAspect(aspect)
    if (typeof ratio === 'object') {
      report(from('aspect'), ratio.problem)
    }
    else if (ratio !== undefined) {
      const thin = widths.map(w => widthProblem(w, ratio, aspect!)).find(Boolean)
      if (thin)
        report(asset.aspect === undefined ? from('widths') : at('widths'), thin)
    }
    assets.set(name, {
      name,
      key: generationKey(generation),
      generation,
      imagePath,
      palette: typeof (asset.palette ?? defaults.palette) === 'string' ? (asset.palette ?? defaults.palette) as string : undefined,
      output: {
        widths,
        formats: [...new Set(asset.formats ?? defaults.formats ?? DEFAULT_FORMATS)],
        fallbackFormat: asset.fallbackFormat ?? defaults.fallbackFormat,
        sizes: asset.sizes ?? defaults.sizes ?? DEFAULT_SIZES,
        quality: asset.quality ?? defaults.quality,
        aspect: typeof ratio === 'number' ? ratio : undefined,
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

function trimThreshold(trim: boolean | number | undefined): number | false {
  if (trim === true)
    return 10
  return typeof trim === 'number' ? trim : false
}
