/**
 * Import ids: `~ai-assets/<name>` gives a GeneratedImage, `?url` its `src`,
 * `?srcset` its `srcset`, `?raw` an SVG asset's sanitised markup. Resolved ids are virtual (`\0`) and end in `.js` so
 * that every bundler treats them as JavaScript; names never contain a dot, so
 * `.url` cannot clash with one.
 */
import { CACHE_DIR } from '../core/cache-dir'

export const IMPORT_PREFIX = '~ai-assets/'
const RESOLVED_PREFIX = '\0ai-assets:'

/** `''`: the whole GeneratedImage; `'url'`: its `src` string; `'srcset'`: its `srcset` string; `'raw'`: an SVG asset's markup. */
export type AssetQuery = '' | 'url' | 'srcset' | 'raw'
export const QUERIES: readonly AssetQuery[] = ['', 'url', 'srcset', 'raw']

export interface AssetImport {
  name: string
  query: AssetQuery
}

const ACCEPTED = `accepted: ~ai-assets/<name> (the GeneratedImage), ~ai-assets/<name>?url (its src), ~ai-assets/<name>?srcset (its srcset), ~ai-assets/<name>?raw (an SVG asset's markup)`

/** An import with a query the plugin does not know: thrown, so that a typo never silently gives the whole object. */
export class ImportQueryError extends Error {
  override name = 'ImportQueryError'
}

/** Undefined for an import that is not ours; throws ImportQueryError for one of ours with an unknown query. */
export function parseImport(id: string, importer?: string): AssetImport | undefined {
  if (!id.startsWith(IMPORT_PREFIX))
    return undefined
  const rest = id.slice(IMPORT_PREFIX.length)
  const at = rest.indexOf('?')
  const name = at === -1 ? rest : rest.slice(0, at)
  const query = at === -1 ? '' : rest.slice(at + 1)
  if ((QUERIES as readonly string[]).includes(query))
    return { name, query: query as AssetQuery }
  const from = importer ? ` in ${importer.replace(/^\0/, '')}` : ''
  throw new ImportQueryError(`[ai-assets] Import "${id}"${from}: unknown query "?${query}"; ${ACCEPTED}.`)
}

export function resolvedId({ name, query }: AssetImport): string {
  return `${RESOLVED_PREFIX}${name}${query ? `.${query}` : ''}.js`
}

/** Where Rspack's import files live, below the root (see bundlers/rspack.ts). */
export const IMPORT_FILES_DIR = `${CACHE_DIR}/imports`

/** The path of an import's file below IMPORT_FILES_DIR: `<name>[.url|.srcset|.raw].js`. */
export function importFileName({ name, query }: AssetImport): string {
  return `${name}${query ? `.${query}` : ''}.js`
}

// Some bundlers hand the id back with the \0 escaped (`__x00__`) or dropped.
const RESOLVED = /^(?:\0|__x00__)?ai-assets:([a-z0-9_/-]+)(?:\.(url|srcset|raw))?\.js$/
const IMPORT_FILE = /[\\/]node_modules[\\/]\.cache[\\/]ai-assets[\\/]imports[\\/]([a-z0-9_/\\-]+)(?:\.(url|srcset|raw))?\.js$/

export function parseResolvedId(id: string): AssetImport | undefined {
  const match = RESOLVED.exec(id) ?? IMPORT_FILE.exec(id)
  return match ? { name: match[1]!.replaceAll('\\', '/'), query: (match[2] ?? '') as AssetQuery } : undefined
}
