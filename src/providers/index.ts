/**
 * The built-in providers, by name. Each is one module behind the same
 * interface (types.ts); this table only says which models and credentials each
 * has, so that the config can be checked before anything is called.
 */
import type { BuiltinProviderName } from '../types'
import type { BuiltinProvider } from './builtin'
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

export { placeholderProvider }
export type { BuiltinProvider, BuiltinProviderSettings, OwnedOptions } from './builtin'
export type { GenerateContext, GenerateRequest, GenerateResult, Provider } from './types'
