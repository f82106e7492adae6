/**
 * A custom provider's images pass through the store's own check, which reads
 * every pixel: half a PNG (whose header is whole) is refused, naming the asset
 * and the provider, and nothing reaches the store or the lockfile.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { copyFixture, edit } from '../helpers'

describe('a custom provider', () => {
  it('cannot store a truncated image', async () => {
    const dir = copyFixture('counting')
    edit(join(dir, 'assets.config.ts'), text => text.replace(
      'return { images }',
      'return { images: images.map(png => png.subarray(0, Math.floor(png.length / 2))) }',
    ))
    const result = await generateAssets({ root: dir, names: ['hero'], frozen: false, env: {} })
    expect(result.ok).toBe(false)
    const [hero] = result.results
    expect(hero).toMatchObject({ name: 'hero', outcome: 'failed' })
    expect(hero!.error).toMatch(/could not generate "hero".*truncated or damaged/)
    const store = join(dir, 'ai-assets')
    const images = existsSync(store) ? readdirSync(store).filter(file => /\.(?:png|jpe?g|webp)$/.test(file)) : []
    expect(images).toEqual([])
    expect(existsSync(join(store, 'ai-assets.lock.json'))).toBe(false)
  })
})
