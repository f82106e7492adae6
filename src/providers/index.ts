/**
 * The built-in providers, by name. Each is one module behind the same
 * interface (types.ts); this table only says which models and credentials each
 * has, so that the config can be checked before anything is called.
 */
import type { z } from 'zod'
import type { BuiltinProviderName } from '../types'
import type { Provider } from './types'
import { cloudflare } from './cloudflare'
import { PLACEHOLDER_MAX_SIDE, placeholderProvider } from './placeholder'
import { recraft } from './recraft'
import { runware } from './runware'

/** Settings every built-in provider takes, after defaults. */
export interface ProviderSettings {
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
  /** Longest side it makes, for a model without a size table. */
  maxSide?: number
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
  create: (settings: ProviderSettings) => Provider
}

/** Wire field → the config option to use instead, e.g. `numberResults` → "the asset's `variants`". */
export type OwnedOptions = Readonly<Record<string, string>>

export const builtinProviders: Record<BuiltinProviderName, BuiltinProvider> = {
  cloudflare,
  runware,
  recraft,
  placeholder: {
    defaultModel: 'placeholder',
    models: { placeholder: undefined },
    maxSide: PLACEHOLDER_MAX_SIDE,
    credentials: [],
    ownedOptions: {},
    create: () => placeholderProvider,
  },
}

export { placeholderProvider }
export type { GenerateContext, GenerateRequest, GenerateResult, Provider } from './types'
