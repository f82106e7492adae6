import type { GenerationInputs } from '../common/generation-key'
/**
 * From a parsed config to what the pipeline works with: every asset with its
 * defaults, palette and provider applied, its reference image hashed and its
 * generation key computed. Checks that need the whole config live here.
 */
import type { FallbackFormat, Fit, ImageFormat, RGB } from '../types'
import type { Brand } from './design-fields'
import type { ConfigIssue } from './errors'
import type { ResolvedProvider } from './provider'
import type { ReadReference, ReferenceImage } from './reference-image'
import type { ParsedAsset, ParsedConfig, ParsedPalette } from './schema'
import { dirname, resolve } from 'node:path'
import { generationKey } from '../common/generation-key'
import { builtinProviders } from '../providers/index'
import { resolveBrands, resolveDesignFields } from './design-fields'
import { AssetsConfigError } from './errors'
import { parseAspect, sizeProblem, widthProblem } from './geometry'
import { assetNameProblem } from './names'
import { checkOwnedOptions } from './owned-options'
import { PROTOTYPE_KEYS } from './prototype-keys'
import { resolveProvider } from './provider'
import { imageRoots, outsideLimits, readReferenceImage } from './reference-image'
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
  /** The original is SVG and the `.svg` ships (sanitised): `src` points at it. */
  svg?: boolean
  /** A transparent asset's JPEGs are flattened onto this (its declared `background`). */
  flatten?: RGB
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
  /** The brand whose style it is generated in (`brand`). */
  brand?: Brand
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

/**
 * `issues`: problems found before parsing (prototype keys), listed first in
 * the one error. `references` receives what reading each reference image
 * gave, by the path the config wrote (the validated-config cache records it:
 * config-cache.ts).
 */
export function resolveConfig(file: string, config: ParsedConfig, issues: ConfigIssue[] = [], references = new Map<string, ReferenceImage>()): ResolvedConfig {
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
  // One read of a reference image that several assets (through `defaults`) or brands share.
  const readReference = (image: string): ReferenceImage => {
    let reference = references.get(image)
    if (!reference) {
      reference = readReferenceImage(image, root, roots)
      references.set(image, reference)
    }
    return reference
  }
  const reported = new Set<string>()
  const report = (path: PropertyKey[], message: string) => {
    const id = JSON.stringify([path.map(String), message])
    if (reported.has(id))
      return
    reported.add(id)
    issues.push({ path, message })
  }
  const brands = resolveBrands(config.brands, readReference, report)
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

    const image = asset.image ?? defaults.image
    let imagePath: string | undefined
    let imageHash: string | undefined
    if (image !== undefined) {
      const reference = readReference(image)
      const problem = 'problem' in reference ? reference.problem : provider?.referenceImage && outsideLimits(reference, provider.referenceImage)
      if (problem)
        report(from('image'), problem)
      else
        ({ path: imagePath, sha256: imageHash } = reference as ReadReference)
    }

    const formats = asset.formats ?? defaults.formats
    const design = resolveDesignFields({
      vector: asset.vector ?? defaults.vector,
      transparent: asset.transparent ?? defaults.transparent,
      vectorize: asset.vectorize ?? defaults.vectorize,
      brand: asset.brand ?? defaults.brand,
      strength: asset.strength ?? defaults.strength,
      image: image !== undefined,
      formats,
      fallbackFormat: asset.fallbackFormat ?? defaults.fallbackFormat,
      background,
    }, provider, brands, from, report)
    // Checked against the table of the model the asset is generated with (its tier's vector model for `vector`).
    const badSize = provider && sizeProblem(width, height, design.model === provider.model ? provider : { ...provider, model: design.model, sizes: modelSizes(provider, design.model) })
    if (badSize)
      report(from('size'), badSize)

    const generation: GenerationInputs = {
      provider: provider?.name ?? '',
      model: design.model,
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
      vector: design.vector,
      transparent: design.transparent,
      vectorize: design.vectorize,
      strength: design.strength,
      brand: design.brand?.references.map(reference => reference.sha256),
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
      brand: design.brand,
      palette: typeof (asset.palette ?? defaults.palette) === 'string' ? (asset.palette ?? defaults.palette) as string : undefined,
      output: {
        widths,
        // An SVG asset ships its `.svg` and derives only the raster formats asked for beside it.
        formats: [...new Set(design.formats ?? (design.svg ? [] : DEFAULT_FORMATS))],
        fallbackFormat: asset.fallbackFormat ?? defaults.fallbackFormat,
        sizes: asset.sizes ?? defaults.sizes ?? DEFAULT_SIZES,
        quality: asset.quality ?? defaults.quality,
        aspect: typeof ratio === 'number' ? ratio : undefined,
        fit: asset.fit ?? defaults.fit ?? 'cover',
        trim: trimThreshold(asset.trim ?? defaults.trim),
        alt: asset.alt ?? defaults.alt ?? '',
        ...(design.shipsSvg ? { svg: true } : {}),
        ...(design.transparent && background ? { flatten: background } : {}),
      },
    })
  }

  if (issues.length > 0 || !provider)
    throw new AssetsConfigError(file, issues)
  return { ...provider, file, store: resolve(root, config.store ?? 'ai-assets'), budget: config.budget, assets }
}

/** The size table of another model of a built-in provider. */
function modelSizes(provider: ResolvedProvider, model: string): readonly string[] | undefined {
  return !provider.custom && Object.hasOwn(builtinProviders, provider.name) ? builtinProviders[provider.name as keyof typeof builtinProviders].models[model] : provider.sizes
}

function trimThreshold(trim: boolean | number | undefined): number | false {
  if (trim === true)
    return 10
  return typeof trim === 'number' ? trim : false
}
