import { hash } from 'node:crypto'

/**
 * Hex sha256: content names in the store, generation keys, derivative cache
 * entries, emitted file names. One-shot `crypto.hash` (Node ≥ 20.12): no Hash
 * object per call, which counts when a command keys a thousand assets.
 */
export function sha256(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex')
}
