/** Change descriptions: why an asset is stale, in words, from the inputs its lock entry recorded. */
import type { GenerationInputs, RecordedInputs } from '../../src/common/generation-key'
import { describe, expect, it } from 'vitest'
import { describeChanges } from '../../src/core/changes'

const current: GenerationInputs = {
  provider: 'runware',
  model: 'recraft:v4.1@0',
  prompt: 'A lighthouse at dusk',
  width: 1536,
  height: 768,
  colors: [[37, 99, 235]],
  providerOptions: {},
  variants: 1,
}
const recorded: RecordedInputs = { ...current, colors: ['#2563eb'], background: undefined }

describe('describeChanges', () => {
  it('says nothing when the recorded inputs are the current ones', () => {
    expect(describeChanges(recorded, current)).toEqual([])
  })

  it('names each changed input, with before → after where it is short', () => {
    expect(describeChanges({ ...recorded, model: 'recraft:v3@0', prompt: 'A lighthouse', width: 1024, height: 1024 }, current))
      .toEqual(['model "recraft:v3@0" → "recraft:v4.1@0"', 'prompt changed', 'size 1024x1024 → 1536x768'])
    expect(describeChanges({ ...recorded, colors: ['#000000', '#2563eb'] }, current)).toEqual(['colors #000000 #2563eb → #2563eb'])
    expect(describeChanges({ ...recorded, style: 'vector_illustration' }, current)).toEqual(['style "vector_illustration" → none'])
    expect(describeChanges({ ...recorded, background: '#ffffff' }, current)).toEqual(['background #ffffff → none'])
    expect(describeChanges({ ...recorded, providerOptions: { seed: 1 } }, current)).toEqual(['providerOptions changed'])
    expect(describeChanges({ ...recorded, variants: 3 }, current)).toEqual(['variants 3 → 1'])
  })

  it('tells a reference image added, removed and changed apart', () => {
    const withImage = { ...current, image: 'b'.repeat(64) }
    expect(describeChanges(recorded, withImage)).toEqual(['reference image added'])
    expect(describeChanges({ ...recorded, image: 'a'.repeat(64) }, current)).toEqual(['reference image removed'])
    expect(describeChanges({ ...recorded, image: 'a'.repeat(64) }, withImage)).toEqual(['reference image changed'])
  })

  it('reads colors an older lockfile recorded as [r, g, b]', () => {
    expect(describeChanges({ ...recorded, colors: [[37, 99, 235]] as unknown as string[] }, current)).toEqual([])
  })
})
