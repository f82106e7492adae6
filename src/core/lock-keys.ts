/**
 * Keys of the lockfile that are not asset names (those are a–z, 0–9, `-`,
 * `_` and `/`, so no asset can take them). Every reader that walks the
 * lockfile's assets skips them.
 */

/** Brand styles, by the sha256 of their provider, pool and reference files (README: Brand styles). */
export const STYLES_KEY = '$styles'

/** Whether a lockfile key names an asset. */
export const isAssetKey = (key: string): boolean => key !== STYLES_KEY
