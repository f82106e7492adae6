/** Finds `assets.config.*`, evaluates it with jiti and validates it: one error for every problem. */
import type { ResolvedConfig } from './resolve'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { AssetsConfigError, fileError } from './errors'
import { prototypeKeyIssues } from './prototype-keys'
import { resolveConfig } from './resolve'
import { configSchema, toConfigIssues } from './schema'

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

/** Loads, validates and resolves the config; throws AssetsConfigError naming the file, asset and field. */
export async function loadAssetsConfig(options: LoadOptions = {}): Promise<ResolvedConfig> {
  const file = findConfigFile(options)
  const exports = await evaluate(file)
  if (exports === undefined || exports === null || typeof exports !== 'object' || !('default' in exports) || exports.default === undefined)
    throw fileError(file, 'the file has no default export. Accepted: `export default defineAssets({ … })`')
  // Before parsing: parsing copies the config, and a `__proto__` entry would vanish in the copy.
  const keyIssues = prototypeKeyIssues(exports.default)
  const parsed = configSchema.safeParse(exports.default, { reportInput: true })
  if (!parsed.success)
    throw new AssetsConfigError(file, [...keyIssues, ...toConfigIssues(parsed.error)])
  return resolveConfig(file, parsed.data, keyIssues)
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
