/**
 * The provider of a config served from the validated-config cache is made on
 * its first call (deferred-provider.ts): it must have the same fields and the
 * same optional calls as the provider it stands for, make it once, and pass
 * every call on.
 */
import type { GenerateContext, Provider } from '../../src/providers/types'
import { describe, expect, it } from 'vitest'
import { deferredProvider, providerShape } from '../../src/config/deferred-provider'

const context: GenerateContext = { signal: new AbortController().signal, env: {}, warn: () => {} }

describe('deferredProvider', () => {
  it('has the fields and the calls of the provider it stands for, which it makes once, on the first call', async () => {
    const calls: string[] = []
    const real: Provider = {
      name: 'recraft',
      model: 'recraftv4',
      credentials: ['RECRAFT_API_TOKEN'],
      sizes: ['1024x1024'],
      async generate(request) {
        calls.push(`generate ${request.prompt}`)
        return { images: [], cost: 0.04 }
      },
      async vectorize(request) {
        calls.push(`vectorize ${request.asset}`)
        return { image: Buffer.from('<svg/>') }
      },
    }
    let made = 0
    const deferred = deferredProvider(providerShape(real), async () => {
      made++
      return real
    })
    expect(made).toBe(0)
    expect({ ...deferred, generate: undefined, vectorize: undefined }).toEqual({ ...real, generate: undefined, vectorize: undefined })
    expect(typeof deferred.vectorize).toBe('function')
    expect(deferred.removeBackground).toBeUndefined()
    expect(deferred.createStyle).toBeUndefined()

    const request = { asset: 'hero', model: 'recraftv4', prompt: 'A cabin', width: 1024, height: 1024, colors: [], variants: 1, providerOptions: {} }
    expect(await deferred.generate(request, context)).toEqual({ images: [], cost: 0.04 })
    expect(await deferred.vectorize!({ asset: 'logo', image: Buffer.from('png') }, context)).toEqual({ image: Buffer.from('<svg/>') })
    await deferred.generate({ ...request, prompt: 'A lake' }, context)
    expect(calls).toEqual(['generate A cabin', 'vectorize logo', 'generate A lake'])
    expect(made).toBe(1)
  })
})
