/**
 * The fields of design work (README: SVG, transparency and brand styles): `vector`,
 * `transparent`, `vectorize`, `brand`/`brands` and image-to-image `strength`.
 * Each is checked against what the provider can do when the config loads,
 * before anything is paid for, and a provider that cannot is named with the
 * ones that can.
 */
import type { Capability } from '../providers/capabilities'
import type { RGB } from '../types'
import type { ResolvedProvider } from './provider'
import type { ReferenceImage } from './reference-image'
import { CAPABILITY_LABELS } from '../providers/capabilities'
import { builtinProviders, providersWith } from '../providers/index'
import { isVectorModel } from '../providers/models'
import { didYouMean } from './suggest'

/** Most references a style takes (Recraft: 1–10). */
export const MAX_BRAND_REFERENCES = 10

export interface Brand {
  name: string
  /** The reference files, in the config's order, symlinks resolved. */
  references: { path: string, sha256: string }[]
}

/** Reads every brand's references; problems go to `report` at `brands.<name>.references[i]`. */
export function resolveBrands(brands: Record<string, { references: string[] }> | undefined, read: (image: string) => ReferenceImage, report: (path: PropertyKey[], message: string) => void): Map<string, Brand> {
  const resolved = new Map<string, Brand>()
  for (const [name, { references }] of Object.entries(brands ?? {})) {
    const files: Brand['references'] = []
    references.forEach((file, i) => {
      const reference = read(file)
      if ('problem' in reference)
        report(['brands', name, 'references', i], reference.problem)
      else
        files.push(reference)
    })
    resolved.set(name, { name, references: files })
  }
  return resolved
}

/** An asset's design fields after `defaults`. */
export interface DesignFieldsInput {
  vector?: boolean
  transparent?: boolean
  vectorize?: boolean
  brand?: string
  strength?: number
  /** Whether the asset has a reference `image`. */
  image: boolean
  formats: readonly string[] | undefined
  fallbackFormat?: string
  background?: RGB
}

export interface DesignFields {
  /** The model the asset is generated with: the vector model of the tier for `vector`. */
  model: string
  vector?: true
  transparent?: true
  vectorize?: true
  strength?: number
  brand?: Brand
  /** The original is SVG (generated or vectorized): an `.svg` ships when `formats` has `'svg'`. */
  svg: boolean
  /** Raster formats to derive. */
  formats?: ('avif' | 'webp' | 'png' | 'jpeg')[]
  /** The SVG itself is one of the outputs. */
  shipsSvg: boolean
}

export type DesignField = 'vector' | 'transparent' | 'vectorize' | 'brand' | 'strength' | 'formats' | 'fallbackFormat'
export type Where = (field: DesignField) => PropertyKey[]

/**
 * Checks the design fields of one asset and gives what the key and the
 * outputs need. `where(field)` says where a value came from (the asset, or
 * `defaults`), so that a problem is reported where it can be fixed.
 */
export function resolveDesignFields(input: DesignFieldsInput, provider: ResolvedProvider | undefined, brands: Map<string, Brand>, where: Where, report: (path: PropertyKey[], message: string) => void): DesignFields {
  const model = provider?.model ?? ''
  const builtin = provider && Object.hasOwn(builtinProviders, provider.name) && !provider.custom ? builtinProviders[provider.name as keyof typeof builtinProviders] : undefined
  const offline = provider?.name === 'placeholder' && !provider.custom
  const vectorModels = builtin?.vectorModels
  const modelIsVector = isVectorModel(vectorModels, model)
  const vector = input.vector ?? modelIsVector
  const can = (capability: Capability, field: DesignField, extra = '') => {
    if (offline || !provider)
      return true
    const able = provider.custom ? customCan(provider, capability) : !!builtin?.capabilities?.includes(capability)
    if (!able) {
      const others = providersWith(capability)
      report(where(field), `provider "${provider.name}" has no ${CAPABILITY_LABELS[capability]}${extra}. Providers that have it: ${others.map(n => `"${n}"`).join(', ') || 'none'}`)
    }
    return able
  }

  let generationModel = model
  if (input.vector === false && modelIsVector) {
    const raster = Object.keys(vectorModels ?? {}).filter(m => !isVectorModel(vectorModels, m))
    report(where('vector'), `the provider's model "${model}" makes SVG only, so vector: false cannot be honoured. Accepted: vector: true, or a raster model (${raster.map(m => `"${m}"`).join(', ')}) in the provider's \`model\``)
  }
  if (vector && !modelIsVector && can('vector', 'vector'))
    generationModel = vectorModels?.[model] ?? model
  if (input.vectorize && vector)
    report(where('vectorize'), 'vectorize turns a raster original into SVG, and with vector: true the original is SVG already. Accepted: vectorize: true on a raster asset, or vector: true alone')
  else if (input.vectorize)
    can('vectorize', 'vectorize')
  if (input.transparent)
    can(vector ? 'transparent-svg' : 'transparent', 'transparent', vector ? ' (its background removal gives PNG, which would lose the SVG)' : '')

  let brand: Brand | undefined
  if (input.brand !== undefined) {
    brand = brands.get(input.brand)
    if (!brand) {
      const names = [...brands.keys()]
      report(where('brand'), `no brand named "${input.brand}"${didYouMean(input.brand, names)}. Accepted: ${names.length > 0 ? names.map(n => `"${n}"`).join(', ') : 'no `brands` are defined; add brands: { <name>: { references: [\'./brand/a.png\'] } }'}`)
    }
    else {
      can('brands', 'brand')
    }
  }
  if (input.strength !== undefined) {
    if (!input.image)
      report(where('strength'), 'strength says how far the result may move from a reference image, and this asset has no `image`. Accepted: strength with image: \'./path.png\'')
    else
      can('strength', 'strength')
  }

  const svg = vector || !!input.vectorize
  const formats = input.formats
  if (formats?.includes('svg') && !svg)
    report(where('formats'), '"svg" needs an SVG original. Accepted: "svg" with vector: true or vectorize: true; else "avif", "webp", "png", "jpeg"')
  const transparent = !!input.transparent
  if (transparent && !input.background) {
    if (formats?.includes('jpeg'))
      report(where('formats'), '"jpeg" has no alpha, and the asset is transparent: its background would be lost. Accepted: "avif", "webp", "png" (they keep the alpha), or a `background` (the asset\'s, its palette\'s or the defaults\') to flatten the JPEG onto')
    if (input.fallbackFormat === 'jpeg')
      report(where('fallbackFormat'), '"jpeg" has no alpha, and the asset is transparent: its background would be lost. Accepted: "png" or "webp", or a `background` to flatten the JPEG onto')
  }
  return {
    model: generationModel,
    ...(vector ? { vector: true as const } : {}),
    ...(transparent ? { transparent: true as const } : {}),
    ...(input.vectorize && !vector ? { vectorize: true as const } : {}),
    ...(input.strength !== undefined ? { strength: input.strength } : {}),
    brand,
    svg,
    shipsSvg: svg && (formats === undefined || formats.includes('svg')),
    formats: formats?.filter((f): f is 'avif' | 'webp' | 'png' | 'jpeg' => f !== 'svg'),
  }
}

/** A custom provider can do what it has a method for; it has no vector models to pick. */
function customCan(provider: ResolvedProvider, capability: Capability): boolean {
  const p = provider.provider
  switch (capability) {
    case 'transparent':
    case 'transparent-svg': return typeof p.removeBackground === 'function'
    case 'vectorize': return typeof p.vectorize === 'function'
    case 'brands': return typeof p.createStyle === 'function'
    case 'strength': return true
    case 'vector': return false
  }
}
