/**
 * Which evaluated configs the validated-config cache may keep (config-cache.ts):
 * JSON data only, written exactly; anything JSON would drop, change or call is
 * not data, and such a config is checked on every load.
 */
import { describe, expect, it } from 'vitest'
import { configDataText } from '../../src/config/config-cache'

const asset = { prompt: 'A cabin', widths: [320, 640], alt: 'A cabin', providerOptions: { seed: 7, steps: null, nested: { on: true } } }

describe('configDataText', () => {
  it('writes JSON data as JSON', () => {
    const config = { provider: 'runware', defaults: { formats: ['webp'] }, assets: { hero: asset } }
    expect(configDataText(config)).toBe(JSON.stringify(config))
    // Objects without a prototype are data too, and an own `__proto__` key is kept (the checks report it).
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { assets: JSON.parse('{"__proto__": {"prompt": "x"}}') })
    expect(configDataText(bare)).toBe('{"assets":{"__proto__":{"prompt":"x"}}}')
  })

  it('is undefined for what JSON would drop, change or call', () => {
    class Settings { name = 'runware' }
    const cyclic: Record<string, unknown> = { prompt: 'x' }
    cyclic.self = cyclic
    const notData: [string, unknown][] = [
      ['a function (a custom provider)', { name: 'mine', generate: async () => ({ images: [] }) }],
      ['a class instance', new Settings()],
      ['a Date', new Date(0)],
      ['a Map', new Map()],
      ['undefined', { prompt: 'x', alt: undefined }],
      ['NaN', { quality: Number.NaN }],
      ['Infinity', { budget: Number.POSITIVE_INFINITY }],
      ['-0', { strength: -0 }],
      // eslint-disable-next-line no-sparse-arrays -- the hole is the point
      ['a hole in an array', { widths: [320, , 640] }],
      ['a bigint', { seed: 1n }],
      ['a symbol', { style: Symbol('x') }],
      ['a toJSON method', { prompt: 'x', toJSON: () => ({ prompt: 'y' }) }],
      ['an object literal with __proto__', { __proto__: { prompt: 'inherited' }, alt: 'x' }],
      ['a cycle', cyclic],
    ]
    for (const [what, value] of notData)
      expect(configDataText({ provider: 'runware', assets: { hero: { ...asset, extra: value } } }), what).toBeUndefined()
  })
})
