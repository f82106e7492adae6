/**
 * Key stability: a generation key is what decides whether an image is paid
 * for again, and it is committed in every lockfile. The key of a fixed input is
 * pinned here: any change of the key format (a field renamed, a default added,
 * another serialization) fails this test and must come with a bump of
 * KEY_FORMAT_VERSION and a note in the changelog.
 */
import type { GenerationInputs } from '../../src/common/generation-key'
import { describe, expect, it } from 'vitest'
import { generationKey, KEY_FORMAT_VERSION } from '../../src/common/generation-key'

const inputs: GenerationInputs = {
  provider: 'cloudflare',
  model: '@cf/recraft/recraft-v4.1',
  prompt: 'A cozy cabin in the woods',
  width: 1536,
  height: 768,
  colors: [[255, 107, 53], [0, 43, 91]],
  background: [245, 245, 245],
  style: 'digital_illustration',
  providerOptions: { seed: 7 },
  variants: 1,
}

describe('generationKey', () => {
  it('is pinned for a fixed input (format version 1)', () => {
    expect(KEY_FORMAT_VERSION).toBe(1)
    expect(generationKey(inputs)).toBe('75bd590f44dec726b1a0d6c24186637e0b7d475059fbf011d6e39d894419fe21')
  })

  it('does not depend on the order the inputs were written in, nor on unset optional fields', () => {
    const reordered = Object.fromEntries(Object.entries(inputs).reverse()) as unknown as GenerationInputs
    expect(generationKey(reordered)).toBe(generationKey(inputs))
    expect(generationKey({ ...inputs, substyle: undefined, image: undefined })).toBe(generationKey(inputs))
    expect(generationKey({ ...inputs, providerOptions: { seed: 7, other: undefined } })).toBe(generationKey(inputs))
  })

  it('changes with every input that changes the image', () => {
    const variations: Partial<GenerationInputs>[] = [
      { provider: 'runware' },
      { model: 'recraft:v4.1@0' },
      { prompt: 'A cozy cabin by a lake' },
      { width: 1024 },
      { height: 1024 },
      { colors: [[0, 43, 91], [255, 107, 53]] },
      { background: undefined },
      { style: 'vector_illustration' },
      { substyle: 'line_art' },
      { image: 'a'.repeat(64) },
      { providerOptions: { seed: 8 } },
      { variants: 2 },
    ]
    const keys = variations.map(change => generationKey({ ...inputs, ...change }))
    expect(new Set([generationKey(inputs), ...keys]).size).toBe(variations.length + 1)
  })
})
