import type { Sharp, SharpOptions } from 'sharp'
import sharp from 'sharp'

/**
 * Every sharp pipeline of the project starts here, so that tests can prove a
 * warm build does no image work at all by reading `sharpCalls.count`.
 */
export const sharpCalls = { count: 0 }

export function openImage(input?: Buffer | string, options?: SharpOptions): Sharp {
  sharpCalls.count++
  return sharp(input, options)
}

/** Part of every derivative cache key: another libvips may encode other bytes. */
export const SHARP_VERSION = sharp.versions.sharp
