import { createRequire } from 'node:module'

/** `[r, g, b]`, each an integer 0–255. */
export type RGB = [number, number, number]

export const ACCEPTED_COLORS = '"#rgb", "#rrggbb", a CSS color name or function (rgb(), hsl(), oklch()…), or [r, g, b] with each a whole number 0–255'

const byte = (channel: number) => Math.round(Math.min(1, Math.max(0, channel)) * 255)

// culori is loaded only for names and functions, from its one-file bundle:
// most configs use hex colors, and its ES modules take longer to load than a warm build.
let culori: typeof import('culori') | undefined
const loadCulori = () => (culori ??= createRequire(import.meta.url)('culori/require') as typeof import('culori'))

/** Any accepted color as `[r, g, b]`, or undefined when it is not one. */
export function parseColor(value: unknown): RGB | undefined {
  if (Array.isArray(value)) {
    const valid = value.length === 3 && value.every(v => Number.isInteger(v) && v >= 0 && v <= 255)
    return valid ? [value[0], value[1], value[2]] : undefined
  }
  if (typeof value !== 'string' || value.trim() === '')
    return undefined
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim())?.[1]
  if (hex) {
    const full = hex.length === 3 ? [...hex].map(c => c + c).join('') : hex
    return [0, 2, 4].map(i => Number.parseInt(full.slice(i, i + 2), 16)) as RGB
  }
  const { parse, converter } = loadCulori()
  const parsed = parse(value.trim())
  if (!parsed)
    return undefined
  const { r, g, b } = converter('rgb')(parsed)
  return [byte(r), byte(g), byte(b)]
}

export function toHex([r, g, b]: RGB): string {
  return `#${[r, g, b].map(v => v.toString(16).padStart(2, '0')).join('')}`
}
