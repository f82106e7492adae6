/**
 * What a built-in provider declares beside the `Provider` interface: its models
 * and sizes, credentials, extra settings and the request fields it owns, so
 * that the config can be checked before anything is called, and the opening
 * every network provider's factory shares. Provider modules import these from
 * here, not from `index.ts` (the table of them), which imports them.
 */
import type { z } from 'zod'
import type { BuiltinProviderName } from '../types'
import type { Capability } from './capabilities'
import type { VectorModels } from './models'
import type { Provider } from './types'

/** Settings every built-in provider takes, after defaults. */
export interface BuiltinProviderSettings {
  name: BuiltinProviderName
  model: string
  baseURL?: string
  timeout?: number
  retries?: number
  [option: string]: unknown
}

export interface BuiltinProvider {
  defaultModel: string
  /** Model id → the sizes (`WxH`) it accepts. */
  models: Record<string, readonly string[] | undefined>
  /** Each model → the vector model of its tier, for `vector: true` (models.ts). */
  vectorModels?: VectorModels
  /** What it can do beyond text to image (capabilities.ts). */
  capabilities?: readonly Capability[]
  /** Longest side it makes, for a model without a size table. */
  maxSide?: number
  /** What it takes as an asset's reference `image`, when its documentation says: checked when the config loads. */
  referenceImage?: ReferenceImageLimits
  /** Environment variables holding its credentials. */
  credentials: readonly string[]
  /** Settings beyond name, model, baseURL, timeout and retries. */
  options?: z.ZodRawShape
  /**
   * Request fields the plugin sets itself, each with the config option that
   * sets it: `providerOptions` may not override them (what is sent, and so
   * what is paid, must be what the config says and the estimate counts).
   */
  ownedOptions: OwnedOptions
  create: (settings: BuiltinProviderSettings) => Provider
}

/**
 * The documented limits of the endpoint a reference image is sent to. Where
 * a limit reads two ways (MB as 10^6 or 2^20 bytes), the larger is taken:
 * the config must never refuse what the provider accepts, and the provider
 * still answers for the rest.
 */
export interface ReferenceImageLimits {
  /** The endpoint, as messages name it: "Recraft's image-to-image". */
  endpoint: string
  minSide: number
  maxSide: number
  maxBytes: number
}

/** Wire field → the config option to use instead, e.g. `numberResults` → "the asset's `variants`". */
export type OwnedOptions = Readonly<Record<string, string>>

/** What every network provider's factory starts from. */
export interface FactoryBasics {
  model: string
  /** The sizes (`WxH`) the model accepts, when the provider has a table for it. */
  sizes: readonly string[] | undefined
  /** The `baseURL` setting, else the provider's own endpoint, without a trailing `/`. */
  baseURL: string
}

export function factoryBasics(builtin: BuiltinProvider, settings: BuiltinProviderSettings, defaultBaseURL: string): FactoryBasics {
  const { model } = settings
  return { model, sizes: builtin.models[model], baseURL: (settings.baseURL ?? defaultBaseURL).replace(/\/+$/, '') }
}
