import type { ResolvedProvider } from './provider'
/**
 * Every check of an evaluated config, and its one error (README "Config
 * reference"): the zod schema, then resolving defaults, palettes, the
 * provider and reference images. load.ts imports this only when it checks a
 * config (not when the validated-config cache has it: config-cache.ts), since
 * it brings zod and the providers' tables.
 */
import type { ReferenceImage } from './reference-image'
import type { ResolvedConfig } from './resolve'
import { AssetsConfigError } from './errors'
import { prototypeKeyIssues } from './prototype-keys'
import { resolveProvider } from './provider'
import { resolveConfig } from './resolve'
import { configSchema, toConfigIssues } from './schema'

/** The resolved config, and what reading each reference image gave; throws AssetsConfigError naming the file, asset and field. */
export function validateConfig(file: string, exported: unknown): { config: ResolvedConfig, references: Map<string, ReferenceImage> } {
  // Before parsing: parsing copies the config, and a `__proto__` entry would vanish in the copy.
  const keyIssues = prototypeKeyIssues(exported)
  const parsed = configSchema.safeParse(exported, { reportInput: true })
  if (!parsed.success)
    throw new AssetsConfigError(file, [...keyIssues, ...toConfigIssues(parsed.error)])
  const references = new Map<string, ReferenceImage>()
  return { config: resolveConfig(file, parsed.data, keyIssues, references), references }
}

/** The provider of a config whose data passed every check before (it is an object with methods, made on every load). */
export function providerOf(file: string, input: unknown): ResolvedProvider {
  const issues: ConstructorParameters<typeof AssetsConfigError>[1] = []
  const provider = resolveProvider(input, issues)
  if (!provider)
    throw new AssetsConfigError(file, issues)
  return provider
}
