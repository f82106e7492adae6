/** Canonical JSON: the text generation keys and the lockfile are made of. */
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../src/common/canonical-json'

describe('canonicalJson', () => {
  it('sorts object keys at every depth, whatever order they were written in', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } }
    const b = { a: { c: 'x', d: [{ y: 2, z: 1 }] }, b: 1 }
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson(b)).toBe(canonicalJson(a))
  })

  it('keeps array order: colors in another order are other inputs', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]')
    expect(canonicalJson({ colors: ['#000000', '#ffffff'] })).not.toBe(canonicalJson({ colors: ['#ffffff', '#000000'] }))
  })

  it('drops undefined properties, so an unset option and an absent one are the same input', () => {
    expect(canonicalJson({ a: 1, style: undefined })).toBe(canonicalJson({ a: 1 }))
    expect(canonicalJson({ a: null })).toBe('{"a":null}')
  })

  it('indents when asked (the lockfile), with the same order', () => {
    expect(canonicalJson({ b: 1, a: 2 }, 2)).toBe('{\n  "a": 2,\n  "b": 1\n}')
  })
})
