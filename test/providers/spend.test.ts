/**
 * Spend never passes what the config asks for: the provider is asked for
 * exactly `variants` images (one image per variant per call), which is what the
 * estimate counts, and providerOptions cannot raise it, not even through a
 * direct call of `generate`.
 */
import type { ProviderCase } from './setup'
import { describe, expect, it } from 'vitest'
import { loadAssetsConfig } from '../../src/config/load'
import { estimateAsset } from '../../src/core/cost'
import { builtinProviders } from '../../src/providers/index'
import { CASES, FAST, generateError, project, readLock, useFake } from './setup'

/** How many images one API request asks for, on the wire. */
function imagesAskedFor(name: ProviderCase['name'], json: any): number {
  if (name === 'runware')
    return json[0].taskType === 'imageInference' ? json[0].numberResults : 0
  if (name === 'recraft')
    return json.n
  return 1 // Workers AI makes one image per call.
}

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  it('asks for exactly `variants` images, the number the estimate counts', async () => {
    const dir = project({ provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST }, assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024', variants: 3 } } })
    const estimate = estimateAsset((await loadAssetsConfig({ root: dir })).assets.get('hero')!)
    expect(await generateError(dir)).toBeUndefined()
    const asked = served.fake.apiRequests.reduce((sum, request) => sum + imagesAskedFor(c.name, request.json), 0)
    expect(asked).toBe(3)
    expect(estimate.images).toBe(3)
    expect(estimate.usd).toBeCloseTo(3 * estimate.perImage!, 6)
    expect(readLock(dir).hero.variants).toHaveLength(3)
  })

  it('refuses an owned field in providerOptions of a direct call, before any request', async () => {
    const owned = { cloudflare: { n: 12 }, runware: { numberResults: 12 }, recraft: { n: 6 } }[c.name]
    const provider = builtinProviders[c.name].create({ name: c.name, model: builtinProviders[c.name].defaultModel, baseURL: c.baseURL(served.fake), ...FAST })
    const request = { asset: 'hero', model: provider.model!, prompt: 'x', width: 1024, height: 1024, colors: [], variants: 1, providerOptions: owned }
    await expect(provider.generate(request, { signal: new AbortController().signal, env: c.env, warn: () => {} }))
      .rejects
      .toThrow(`providerOptions: "${Object.keys(owned)[0]}" is sent by the plugin to ${c.name} and cannot be overridden in providerOptions`)
    expect(served.fake.requests).toEqual([])
  })
})
