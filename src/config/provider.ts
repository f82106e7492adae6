import type { OwnedOptions, ReferenceImageLimits } from '../providers/index'
import type { Provider } from '../providers/types'
/** Turns the config's `provider` field into a Provider and what the key and lockfile record of it. */
import type { BuiltinProviderName } from '../types'
import type { ConfigIssue } from './errors'
import { z } from 'zod'
import { builtinProviders } from '../providers/index'
import { show, toConfigIssues } from './schema'
import { didYouMean } from './suggest'

export interface ResolvedProvider {
  provider: Provider
  name: string
  model: string
  credentials: readonly string[]
  /** Sizes the model accepts; any up to `maxSide` when undefined. */
  sizes?: readonly string[]
  /** Longest side it makes when it has no size table; see geometry.ts for the bound of the others. */
  maxSide?: number
  /** What a built-in provider takes as a reference `image` (builtin.ts). */
  referenceImage?: ReferenceImageLimits
  /** A custom provider (`{ name, generate }`), even one named like a built-in. */
  custom?: boolean
  /** Request fields providerOptions may not override (built-in providers only). */
  ownedOptions?: OwnedOptions
}

const NAMES = Object.keys(builtinProviders) as BuiltinProviderName[]
const ACCEPTED = `${NAMES.map(n => `"${n}"`).join(', ')}, { name, model?, baseURL?, timeout?, retries?, … }, or a custom { name, generate(request, context) }`

export function resolveProvider(input: unknown, issues: ConfigIssue[]): ResolvedProvider | undefined {
  const fail = (message: string, path: PropertyKey[] = []) => {
    issues.push({ path: ['provider', ...path], message })
    return undefined
  }
  if (input === undefined)
    input = 'placeholder'
  if (typeof input === 'object' && input !== null && typeof (input as Provider).generate === 'function')
    return resolveCustom(input as Provider, fail)
  const settings = typeof input === 'string' ? { name: input } : input
  if (typeof settings !== 'object' || settings === null || typeof (settings as { name?: unknown }).name !== 'string')
    return fail(`${show(input)} is not a provider. Accepted: ${ACCEPTED}`)

  const name = (settings as { name: string }).name
  const builtin = builtinProviders[name as BuiltinProviderName]
  if (!builtin)
    return fail(`unknown provider "${name}"${didYouMean(name, NAMES)}. Accepted: ${ACCEPTED}`, typeof input === 'string' ? [] : ['name'])

  const schema = z.strictObject({
    name: z.string(),
    model: z.string().optional(),
    baseURL: z.url().optional(),
    timeout: z.number().int().positive().optional(),
    retries: z.number().int().min(0).max(10).optional(),
    ...builtin.options,
  })
  const parsed = schema.safeParse(settings, { reportInput: true })
  if (!parsed.success) {
    for (const issue of toConfigIssues(parsed.error, Object.keys(schema.shape)))
      issues.push({ ...issue, path: ['provider', ...issue.path] })
    return undefined
  }
  const model = parsed.data.model ?? builtin.defaultModel
  if (!(model in builtin.models)) {
    const models = Object.keys(builtin.models)
    return fail(`"${model}" is not a model of ${name}${didYouMean(model, models)}. Accepted: ${models.map(m => `"${m}"`).join(', ')}`, ['model'])
  }
  return {
    provider: builtin.create({ ...parsed.data, name: name as BuiltinProviderName, model }),
    name,
    model,
    credentials: builtin.credentials,
    sizes: builtin.models[model],
    maxSide: builtin.maxSide,
    referenceImage: builtin.referenceImage,
    ownedOptions: builtin.ownedOptions,
  }
}

function resolveCustom(provider: Provider, fail: (message: string, path?: PropertyKey[]) => undefined): ResolvedProvider | undefined {
  if (typeof provider.name !== 'string' || provider.name === '')
    return fail('a custom provider needs a non-empty string `name`', ['name'])
  return {
    provider,
    name: provider.name,
    model: provider.model ?? 'custom',
    credentials: provider.credentials ?? [],
    sizes: provider.sizes,
    custom: true,
  }
}
