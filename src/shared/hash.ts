import { createHash } from 'node:crypto'

/** Hex sha256: content names in the store, generation keys, derivative cache entries, emitted file names. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
