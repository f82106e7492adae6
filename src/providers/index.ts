/**
 * The built-in providers, by name. Each is one module behind the same
 * interface (types.ts); this table only says which models and credentials each
 * has, so that the config can be checked before anything is called.
 */
import type { BuiltinProviderName } from '../types'
import type { BuiltinProvider } from './builtin'
import type { Capability } from './capabilities'
import { cloudflare } from './cloudflare'
import { PLACEHOLDER_MAX_SIDE, placeholderProvider } from './placeholder'
import { recraft } from './recraft'
import { runware } from './runware'

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

/** The built-in providers that can do `capability`, for config errors that say which to use instead. */
export function providersWith(capability: Capability): BuiltinProviderName[] {
  return (Object.keys(builtinProviders) as BuiltinProviderName[]).filter(name => builtinProviders[name].capabilities?.includes(capability))
}

export { placeholderProvider }
export type { BuiltinProvider, BuiltinProviderSettings, OwnedOptions, ReferenceImageLimits } from './builtin'
export type { Capability } from './capabilities'
export type { GenerateContext, GenerateRequest, GenerateResult, ImageToolRequest, ImageToolResult, Provider, StyleRequest, StyleResult } from './types'
