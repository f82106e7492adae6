/**
 * A built-in provider made on its first call. A config served from the
 * validated-config cache (config-cache.ts) is not checked again, so the
 * providers' modules (and zod, which they declare their settings with) are
 * loaded only by a command that calls the provider: `status`, `prune` or a
 * warm build load none of them.
 */
import type { Provider } from '../providers/types'

/** What a provider is without calling it: its fields, and which of the optional calls it has. */
export interface ProviderShape {
  name: string
  model?: string
  credentials?: readonly string[]
  sizes?: readonly string[]
  calls: ('removeBackground' | 'vectorize' | 'createStyle')[]
}

const OPTIONAL_CALLS = ['removeBackground', 'vectorize', 'createStyle'] as const

export function providerShape(provider: Provider): ProviderShape {
  return {
    name: provider.name,
    model: provider.model,
    credentials: provider.credentials,
    sizes: provider.sizes,
    calls: OPTIONAL_CALLS.filter(call => typeof provider[call] === 'function'),
  }
}

/** A provider of this shape whose calls make the real one (`make`, once) and pass on to it. */
export function deferredProvider(shape: ProviderShape, make: () => Promise<Provider>): Provider {
  let made: Promise<Provider> | undefined
  const real = () => made ??= make()
  const has = new Set(shape.calls)
  return {
    name: shape.name,
    model: shape.model,
    credentials: shape.credentials,
    sizes: shape.sizes,
    generate: async (request, context) => (await real()).generate(request, context),
    ...has.has('removeBackground') && { removeBackground: async (request, context) => (await real()).removeBackground!(request, context) },
    ...has.has('vectorize') && { vectorize: async (request, context) => (await real()).vectorize!(request, context) },
    ...has.has('createStyle') && { createStyle: async (request, context) => (await real()).createStyle!(request, context) },
  }
}
