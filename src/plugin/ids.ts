/**
 * Import ids: `~ai-assets/<name>` gives a GeneratedImage, `~ai-assets/<name>?url`
 * its `src`, `~ai-assets/<name>?raw` an SVG asset's sanitised markup. Resolved ids are virtual (`\0`) and end in `.js` so that every
 * bundler treats them as JavaScript; names never contain a dot, so `.url`
 * cannot clash with one.
 */
export const IMPORT_PREFIX = '~ai-assets/'
const RESOLVED_PREFIX = '\0ai-assets:'

export interface AssetImport {
  name: string
  /** `?url`: only the `src` string. */
  url: boolean
  /** `?raw`: an SVG asset's sanitised markup, for inlining. */
  raw?: boolean
}

export function parseImport(id: string): AssetImport | undefined {
  if (!id.startsWith(IMPORT_PREFIX))
    return undefined
  const [name = '', query] = id.slice(IMPORT_PREFIX.length).split('?', 2)
  return { name, url: query === 'url', raw: query === 'raw' }
}

export function resolvedId({ name, url, raw }: AssetImport): string {
  return `${RESOLVED_PREFIX}${name}${url ? '.url' : raw ? '.raw' : ''}.js`
}

// Some bundlers hand the id back with the \0 escaped (`__x00__`) or dropped.
const RESOLVED = /^(?:\0|__x00__)?ai-assets:([a-z0-9_/-]+?)(\.url|\.raw)?\.js$/

export function parseResolvedId(id: string): AssetImport | undefined {
  const match = RESOLVED.exec(id)
  return match ? { name: match[1]!, url: match[2] === '.url', raw: match[2] === '.raw' } : undefined
}
