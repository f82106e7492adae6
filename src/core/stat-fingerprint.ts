/**
 * A file's stat fingerprint, in the manner of git's index: what tells, without
 * reading a file, that it is the very file seen before. The verified index
 * (verified-index.ts) and the lockfile's parse cache (lockfile.ts) trust
 * what they recorded only while it is unchanged.
 */
import type { BigIntStats } from 'node:fs'

/**
 * `size:mtimeNs:ctimeNs:ino:dev`. The ctime is in it because nothing can set
 * it back: a file edited in place with its size and mtime restored
 * (`touch -r`) still gets a new one. The inode catches a file replaced by
 * rename (every atomic write), the device a store moved to another disk.
 */
export function statFingerprint(stats: BigIntStats): string {
  return `${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}:${stats.dev}`
}

/**
 * Racy-git: a file changed again within its filesystem's timestamp
 * granularity keeps its mtime, so a fingerprint taken while the file was that
 * young could match a later edit. Only a file whose mtime and ctime are older
 * than this before the moment it was stat'ed is trusted by its fingerprint
 * (2 s: FAT's mtime granularity, the coarsest in use; ext4, APFS and NTFS are
 * finer). Younger files are read again next time.
 */
export const RACY_MS = 2000
const RACY_NS = BigInt(RACY_MS) * 1_000_000n

/** Whether the file was young enough at `statedAt` (ms since the epoch, taken before the stat) to change again without its fingerprint changing. */
export function isRacy(stats: BigIntStats, statedAt: number): boolean {
  const newest = stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs
  return newest + RACY_NS >= BigInt(statedAt) * 1_000_000n
}
