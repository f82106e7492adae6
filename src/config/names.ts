/**
 * What an asset may be called. A name becomes part of file names (the store's
 * originals, every derivative), so it is checked when the config loads: a name
 * a filesystem refuses would otherwise fail after its image was paid for.
 */

/** Lowercase words of a–z and 0–9 joined by `-` or `_`, grouped with `/` (README "Config reference"). */
export const ASSET_NAME = /^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\/[a-z0-9]+(?:[-_][a-z0-9]+)*)*$/

/** Most filesystems (ext4, APFS, NTFS, btrfs…) refuse a path segment longer than this many bytes. */
const FILESYSTEM_SEGMENT_BYTES = 255

/**
 * The longest tail the project appends to the last segment of a name, in bytes:
 * - a store original `<name>.<12 hex>.<ext>`: `.` + 12 + `.` + `webp` = 18;
 * - a derivative `<name>-<width>.<8 hex>.<ext>`: `-` + width + `.` + 8 + `.` + `webp` = 15 + width,
 *   the width having at most 10 digits (sharp reports it as a 32-bit integer) = 25;
 * - write-file-atomic's temp file adds `.` + a 32-bit integer in decimal = 11 to either.
 * The derivative cache names its files by a hash, never by the asset's name.
 */
const LONGEST_SUFFIX_BYTES = Math.max(1 + 12 + 1 + 4, 1 + 10 + 1 + 8 + 1 + 4) + (1 + 10)

/** 219: the most bytes each `/`-separated part of an asset name may have. */
export const MAX_NAME_SEGMENT_BYTES = FILESYSTEM_SEGMENT_BYTES - LONGEST_SUFFIX_BYTES

export const ACCEPTED_NAMES = `lowercase words of a–z and 0–9 joined by "-" or "_", optionally grouped with "/" (e.g. "hero", "icons/bolt"), each "/"-separated part at most ${MAX_NAME_SEGMENT_BYTES} bytes`

/** Why `name` cannot name an asset, or undefined when it can. */
export function assetNameProblem(name: string): string | undefined {
  if (!ASSET_NAME.test(name))
    return `invalid asset name. Accepted: ${ACCEPTED_NAMES}`
  const longest = Math.max(...name.split('/').map(part => Buffer.byteLength(part)))
  if (longest > MAX_NAME_SEGMENT_BYTES)
    return `the name has a part of ${longest} bytes, too long for a file name once the project adds its hash and extension. Accepted: ${ACCEPTED_NAMES}`
  return undefined
}
