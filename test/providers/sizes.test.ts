/** Every model's size table is checked before any call: at config load, and again inside generate. */
import { describe, expect, it } from 'vitest'
import { loadAssetsConfig } from '../../src/config/load'
import { builtinProviders } from '../../src/providers/index'
import { SIZES_1K, SIZES_2K } from '../../src/providers/models'
import { buildError, CASES, project, useFake } from './setup'

const TABLES: [provider: 'cloudflare' | 'runware' | 'recraft', model: string, sizes: readonly string[], wrong: string][] = [
  ['cloudflare', 'recraft/recraftv4-1', SIZES_1K, '2048x2048'],
  ['runware', 'recraft:v4.1@0', SIZES_1K, '2048x2048'],
  ['runware', 'recraft:v4.1-pro@0', SIZES_2K, '1024x1024'],
  ['recraft', 'recraftv4_1', SIZES_1K, '1536x3072'],
  ['recraft', 'recraftv4_1_pro', SIZES_2K, '1536x768'],
]

describe.each(TABLES)('%s %s', (name, model, sizes, wrong) => {
  const c = CASES.find(c => c.name === name)!
  const served = useFake(c)

  it('accepts every size of its table and nothing else', async () => {
    expect(builtinProviders[name].models[model]).toEqual(sizes)
    const assets = Object.fromEntries(sizes.map((size, i) => [`a${i}`, { prompt: 'x', size }]))
    const config = await loadAssetsConfig({ root: project({ provider: { name, model }, assets }) })
    expect([...config.assets.values()].map(a => `${a.generation.width}x${a.generation.height}`)).toEqual([...sizes])

    const bad = project({ provider: { name, model }, assets: { hero: { prompt: 'x', size: wrong }, tiny: { prompt: 'x', size: '1000x1000' } } })
    const error = await loadAssetsConfig({ root: bad }).then(() => undefined, (e: Error) => e.message)
    expect(error).toContain('asset "hero", field "size"')
    expect(error).toContain(`${wrong} is not a size ${model} accepts. Accepted: ${sizes.join(', ')}`)
    expect(error).toContain('asset "tiny", field "size": 1000x1000 is not a size')
  })

  it('fails the build before any request when a size is not in the table', async () => {
    const dir = project({ provider: { name, model, baseURL: c.baseURL(served.fake) }, assets: { hero: { prompt: 'x', size: wrong } } })
    expect(await buildError(dir)).toContain(`${wrong} is not a size ${model} accepts`)
    expect(served.fake.requests).toHaveLength(0)
  })

  it('refuses a wrong size in generate itself, without a request', async () => {
    const provider = builtinProviders[name].create({ name, model, baseURL: c.baseURL(served.fake) })
    expect(provider.sizes).toEqual(sizes)
    const request = { asset: 'hero', model, prompt: 'x', width: Number(wrong.split('x')[0]), height: Number(wrong.split('x')[1]), colors: [], variants: 1, providerOptions: {} }
    await expect(provider.generate(request, { signal: new AbortController().signal, env: c.env, warn: () => {} })).rejects.toThrow(`${wrong} is not a size ${model} accepts`)
    expect(served.fake.requests).toHaveLength(0)
  })
})
