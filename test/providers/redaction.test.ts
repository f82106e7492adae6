/**
 * Credentials are cut out of every message, whole or in fragments: a server
 * that quotes the last 8 characters of a key ("…3f9a2c1d") must not get them
 * into an error. Against each provider's served.fake, with its credential variables.
 */
import type { Reply } from '../fakes/server'
import type { ProviderCase } from './setup'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPipeline } from '../../src/core/pipeline'
import { scrub, secretsOf } from '../../src/providers/secrets'
import { json, text } from '../fakes/server'
import { CASES, FAST, generateError, project, useEnv, useFake } from './setup'

/** The provider's own error shape for a 401, quoting these words. */
function quoting(name: ProviderCase['name'], words: string): Reply {
  return ({
    cloudflare: json(401, { success: false, errors: [{ code: 10000, message: `Authentication error: ${words}` }], messages: [], result: null }),
    runware: json(401, { errors: [{ code: 'invalidApiKey', message: `Invalid API key: ${words}` }] }),
    recraft: text(401, `request unauthorized: ${words}`),
  })[name]
}

describe('scrub', () => {
  const secrets = [['API_KEY', 'k9Qz7LmX2vB8nR4tW6yP']] as const

  it('cuts the whole value and any fragment of 6 or more characters, by name', () => {
    expect(scrub('key k9Qz7LmX2vB8nR4tW6yP is wrong', secrets)).toBe('key [API_KEY] is wrong')
    expect(scrub('key …nR4tW6yP is wrong', secrets)).toBe('key …[API_KEY] is wrong')
    expect(scrub('key starting k9Qz7L is wrong', secrets)).toBe('key starting [API_KEY] is wrong')
    expect(scrub('middle 2vB8nR here', secrets)).toBe('middle [API_KEY] here')
  })

  it('leaves fragments of 5 characters and unrelated text alone', () => {
    expect(scrub('ends tW6yP, nothing else', secrets)).toBe('ends tW6yP, nothing else')
    expect(scrub('HTTP 401: request unauthorized', secrets)).toBe('HTTP 401: request unauthorized')
  })

  it('cuts a value shorter than 6 characters only whole, and ignores values under 4', () => {
    expect(scrub('pin 4821 and 48', [['PIN', '4821']])).toBe('pin [PIN] and 48')
    expect(scrub('abc', [['X', 'abc']])).toBe('abc')
  })

  it('names the right variable when two credentials appear', () => {
    expect(scrub('account 3f9c2a7be1d0… token …f3GsA5eU1oRiW0tQ', [['ACCOUNT', '3f9c2a7be1d04c58a6e2b9d17c0f4e81'], ['TOKEN', 'Xq7vN2pLr8TzK4wYc9HdJ6mBf3GsA5eU1oRiW0tQ']]))
      .toBe('account [ACCOUNT]… token …[TOKEN]')
  })

  it('is what the pipeline\'s last guard applies', () => {
    expect(scrub('quoted …nR4tW6yP', secretsOf(['API_KEY'], { API_KEY: 'k9Qz7LmX2vB8nR4tW6yP' }))).toBe('quoted …[API_KEY]')
  })
})

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  it.each(Object.keys(c.env))('cuts the last 8 characters of %s, quoted by the server, out of the error', async (variable) => {
    const value = c.env[variable]!
    const tail = value.slice(-8)
    const head = value.slice(0, 10)
    served.fake.fail({ kind: 'reply', reply: quoting(c.name, `the key …${tail} (starting ${head}) is not valid`) })
    const dir = project({ provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST }, assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } } })
    const message = await generateError(dir)
    expect(message).toContain('could not generate "hero": HTTP 401: ')
    expect(message).toContain(`the key …[${variable}] (starting [${variable}]) is not valid`)
    for (const secret of Object.values(c.env)) {
      for (let i = 0; i + 6 <= secret.length; i++)
        expect(message).not.toContain(secret.slice(i, i + 6))
    }
  })
})

describe('a provider\'s warnings', () => {
  it('are cut like errors: a custom provider quoting a fragment of its key prints the variable name', async () => {
    const key = 'cu5tomKey-7Hq2Lp9Wz4Xv'
    useEnv({ CUSTOM_IMAGE_KEY: key })
    const dir = project({ provider: {}, assets: { hero: { prompt: 'A cozy cabin', size: '64x64' } } })
    // A custom provider needs code, not JSON: the config is written by hand.
    writeFileSync(join(dir, 'assets.config.ts'), `import sharp from 'sharp'
export default {
  provider: {
    name: 'custom',
    credentials: ['CUSTOM_IMAGE_KEY'],
    async generate(request, context) {
      context.warn('slow answer for the key ending ' + context.env.CUSTOM_IMAGE_KEY.slice(-8))
      return { images: [await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } }).png().toBuffer()] }
    },
  },
  defaults: { widths: [32], formats: ['webp'] },
  assets: { hero: { prompt: 'A cozy cabin', size: '64x64' } },
}
`)
    const warnings: string[] = []
    await createPipeline({ root: dir, frozen: false, warn: message => warnings.push(message) }).original('hero')
    expect(warnings).toEqual(['[ai-assets] slow answer for the key ending [CUSTOM_IMAGE_KEY]'])
  })
})
