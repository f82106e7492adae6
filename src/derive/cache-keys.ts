/**
 * The keys of the derivative cache, in one place: every piece an import needs
 * is cached under a key that names what it was made from and how, so that
 * `ai-assets prune` can tell which entries a build can still read.
 *
 * Versions are bumped whenever the same key would hold other bytes, so that
 * no entry made the old way is served: v2 of derivatives, made from the
 * original decoded once; v4 of the preview, reduced and blurred in JavaScript
 * (preview-pixels.ts); v2 of trim, which holds the size alone; v1 of the
 * sanitised SVG, bumped when the sanitiser's rules change.
 */
import { canonicalJson } from '../common/canonical-json'
import { SHARP_VERSION } from '../common/sharp'

const DERIVATIVE = 'derivative:v2'
const PREVIEW = 'preview:v4'
const TRIM = 'trim:v2'
const SVG = 'svg:v1'
const PLACEHOLDER = 'placeholder'

/**
 * `id` names the pixels a piece is made from: the original's sha256, then
 * what was done to it first (`+trim…`, `@WxH` when decoded smaller, `+svg`
 * for the rasters of an SVG).
 */
export const derivativeKey = (id: string, operation: object): string => `${DERIVATIVE}:${id}:${canonicalJson(operation)}:${SHARP_VERSION}`
export const previewKey = (id: string): string => `${PREVIEW}:${id}:${SHARP_VERSION}`
export const trimKey = (sha256: string, trim: number): string => `${TRIM}:${sha256}:${trim}:${SHARP_VERSION}`
export const svgKey = (sha256: string): string => `${SVG}:${sha256}`
/** The offline placeholder image of an asset (never stored): by its name and generation key. */
export const placeholderKey = (asset: string, key: string): string => `${PLACEHOLDER}:${asset}:${key}:${SHARP_VERSION}`

/** The originals a build may still derive from. */
export interface LiveOriginals {
  /** sha256 of every original the lockfile names (variants included), and of each live placeholder. */
  sha256s: Set<string>
  /** `placeholderKey` of every asset of the config. */
  placeholders: Set<string>
}

const SHA256 = /^[0-9a-f]{64}/

/**
 * Whether an entry with this key can still be read by a build: written under
 * the current versions, by the installed sharp, and made from a live
 * original. Anything else (an original regenerated or removed, an older
 * version of the cache, another sharp) would never be asked for again.
 */
export function isLiveKey(key: string, live: LiveOriginals): boolean {
  if (key.startsWith(`${PLACEHOLDER}:`))
    return live.placeholders.has(key)
  for (const [prefix, versioned] of [[DERIVATIVE, true], [PREVIEW, true], [TRIM, true], [SVG, false]] as const) {
    if (!key.startsWith(`${prefix}:`))
      continue
    const sha256 = SHA256.exec(key.slice(prefix.length + 1))?.[0]
    return sha256 !== undefined && live.sha256s.has(sha256) && (!versioned || key.endsWith(`:${SHARP_VERSION}`))
  }
  return false
}
