/**
 * Finds `assets.config.*`, evaluates it with jiti and validates it: one error
 * for every problem. The checks (validate.ts, with zod and the providers'
 * tables) are loaded only when the validated-config cache does not have the
 * config (config-cache.ts).
 */
import type { ResolvedConfig } from './resolve'
import { channel } from 'node:diagnostics_channel'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configCacheKey, configDataText, readCachedConfig, writeCachedConfig } from './config-cache'
import { deferredProvider, providerShape } from './deferred-provider'
import { fileError } from './errors'

export const CONFIG_NAMES = ['assets.config.ts', 'assets.config.mts', 'assets.config.js', 'assets.config.mjs']

export interface LoadOptions {
  /** Path of the config file, relative to `root`. @default `assets.config.{ts,mts,js,mjs}` in root, else cwd */
  config?: string
  /** Where to look for `assets.config.*` first (the bundler's root). @default process.cwd() */
  root?: string
}

/** The config file's absolute path: `config` if given, else the first `assets.config.*` in root, then cwd. */
export function findConfigFile({ config, root = process.cwd() }: LoadOptions = {}): string {
  if (config !== undefined) {
    const file = resolve(root, config)
    if (!existsSync(file))
      throw fileError(file, 'file not found. Accepted: the path of an assets config file, relative to the project root')
    return file
  }
  for (const dir of new Set([resolve(root), process.cwd()])) {
    for (const name of CONFIG_NAMES) {
      if (existsSync(join(dir, name)))
        return join(dir, name)
    }
  }
  throw fileError(join(resolve(root), CONFIG_NAMES[0]!), `no assets config found in ${resolve(root)}. Accepted: one of ${CONFIG_NAMES.join(', ')}, or the plugin's \`config\` option`)
}

/**
 * Every load of a config is announced on this diagnostics channel (free when
 * nobody listens) with `{ file, cached }`: whether it was served from the
 * validated-config cache or checked, so that a test can see which.
 */
export const CONFIG_LOAD_CHANNEL = 'unplugin-ai-assets:config-load'
const configLoad = channel(CONFIG_LOAD_CHANNEL)

/** Loads, validates and resolves the config; throws AssetsConfigError naming the file, asset and field. */
export async function loadAssetsConfig(options: LoadOptions = {}): Promise<ResolvedConfig> {
  const file = findConfigFile(options)
  const exports = await evaluate(file)
  if (exports === undefined || exports === null || typeof exports !== 'object' || !('default' in exports) || exports.default === undefined)
    throw fileError(file, 'the file has no default export. Accepted: `export default defineAssets({ … })`')
  const data = exports.default as Record<string, unknown>
  const text = configDataText(data)
  const key = text === undefined ? undefined : configCacheKey(file, text, packageBuild())
  const cached = key === undefined ? undefined : await readCachedConfig(file, key, data.allowImagesFrom)
  if (configLoad.hasSubscribers)
    configLoad.publish({ file, cached: !!cached })
  if (cached) {
    const { shape, ...provider } = cached.provider
    // Made on its first call, from the settings checked when the entry was written.
    const make = async () => (await import('./validate')).providerOf(file, (JSON.parse(text!) as typeof data).provider).provider
    return { ...provider, provider: deferredProvider(shape, make), file, store: cached.store, budget: cached.budget, assets: new Map(cached.assets.map(asset => [asset.name, asset])) }
  }
  const { validateConfig } = await import('./validate')
  // What a cache entry is made from must be exactly its key's text: the config as JSON, parsed again.
  const { config, references } = validateConfig(file, text === undefined ? data : JSON.parse(text))
  // A custom provider is a function: its config is not data, and never reaches the cache.
  if (key !== undefined && !config.custom) {
    const { provider, custom: _, file: __, store, budget, assets, ...facts } = config
    await writeCachedConfig(file, key, { provider: { ...facts, shape: providerShape(provider) }, store, budget, assets: [...assets.values()] }, references)
  }
  return config
}

let build: string | undefined

/**
 * This package's version and build, which a cached config is checked by: the
 * version in its package.json, and this module's file (dist's chunk names
 * carry a hash of their code) with its mtime.
 */
function packageBuild(): string {
  if (build !== undefined)
    return build
  const module = fileURLToPath(import.meta.url)
  let version = ''
  for (let dir = dirname(module), i = 0; i < 5 && !version; dir = dirname(dir), i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'unplugin-ai-assets')
        version = String(pkg.version)
    }
    catch {}
  }
  return build = `${version}\0${module}\0${statSync(module, { throwIfNoEntry: false })?.mtimeMs ?? ''}`
}

async function evaluate(file: string): Promise<Record<string, unknown> | undefined> {
  // No module cache, and always transpiled: jiti would import a plain .mjs
  // natively, and Node's cache would then hide every later edit of it.
  // jiti's CommonJS entry, required: importing it as ESM makes Node scan its 190 kB bundle for exports, in every CLI run.
  const { createJiti } = createRequire(import.meta.url)('jiti') as typeof import('jiti')
  const jiti = createJiti(file, { moduleCache: false, interopDefault: false })
  try {
    return await jiti.evalModule(readFileSync(file, 'utf8'), { filename: file, async: true, forceTranspile: true }) as Record<string, unknown>
  }
  catch (error) {
    throw fileError(file, `the config threw while loading: ${(error as Error)?.message ?? error}`)
  }
}
