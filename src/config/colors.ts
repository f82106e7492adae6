import type { RGB } from '../types'
import { converter, parse } from 'culori'

const toRgb = converter('rgb')
const byte = (channel: number) => Math.round(Math.min(1, Math.max(0, channel)) * 255)

export const ACCEPTED_COLORS = '"#rgb", "#rrggbb", a CSS color name or function (rgb(), hsl(), oklch()…), or [r, g, b] with each a whole number 0–255'

/** Any accepted color as `[r, g, b]`, or undefined when it is not one. */
export function parseColor(value: unknown): RGB | undefined {
  if (Array.isArray(value)) {
    const valid = value.length === 3 && value.every(v => Number.isInteger(v) && v >= 0 && v <= 255)
    return valid ? [value[0], value[1], value[2]] : undefined
  }
  if (typeof value !== 'string' || value.trim() === '')
    return undefined
  const parsed = parse(value.trim())
  if (!parsed)
    return undefined
  const { r, g, b } = toRgb(parsed)
  return [byte(r), byte(g), byte(b)]
}

export function toHex([r, g, b]: RGB): string {
  return `#${[r, g, b].map(v => v.toString(16).padStart(2, '0')).join('')}`
}
