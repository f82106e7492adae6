import { isPlainObject } from './objects'

/**
 * JSON with object keys sorted at every depth and undefined dropped: the same
 * value always gives the same text, for generation keys and for a lockfile
 * whose diffs review well.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, inner: unknown) => isPlainObject(inner) ? sortKeys(inner) : inner, indent)
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(object).sort().map(key => [key, object[key]]))
}
