/** Cloudflare Workers AI against its fake: the `/ai/run` body field by field, the v4 envelope and `state`. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { json } from '../fakes/server'
import { decode } from '../helpers'
import { build, buildError, caseOf, FAST, project, readLock, storeImages, useFake } from './setup'

const { CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN } = caseOf('cloudflare').env
const served = useFake(caseOf('cloudflare'))
const provider = (settings: Record<string, unknown> = {}) => ({ name: 'cloudflare', baseURL: `${served.fake.url}/client/v4`, ...FAST, ...settings })

describe('cloudflare', () => {
  it('posts { model, input } to /accounts/{id}/ai/run and downloads result.image', async () => {
    const dir = project({
      provider: provider(),
      palettes: { brand: { colors: ['#ff6b35', [0, 43, 91]], background: '#f5f5f5' } },
      defaults: { palette: 'brand' },
      assets: { hero: { prompt: 'A cozy cabin in the woods', size: '1536x768' } },
    })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(1)
    const call = served.fake.apiRequests[0]!
    expect(call.method).toBe('POST')
    expect(call.path).toBe(`/client/v4/accounts/${ACCOUNT}/ai/run`)
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(call.headers['content-type']).toBe('application/json')
    // No style or substyle unless set: they belong to older Recraft models.
    expect(call.json).toEqual({
      model: 'recraft/recraftv4-1',
      input: {
        prompt: 'A cozy cabin in the woods',
        size: '1536x768',
        controls: { colors: [{ rgb: [255, 107, 53] }, { rgb: [0, 43, 91] }], background_color: { rgb: [245, 245, 245] } },
      },
    })
    const downloads = served.fake.requests.filter(r => r.kind === 'download')
    expect(downloads).toHaveLength(1)
    expect(downloads[0]!.headers.authorization).toBeUndefined()
    const entry = readLock(dir).hero
    expect(entry).toMatchObject({ provider: 'cloudflare', model: 'recraft/recraftv4-1', width: 1536, height: 768 })
    // Cloudflare's answer carries no cost.
    expect(entry).not.toHaveProperty('cost')
    expect(await decode(join(dir, 'ai-assets', entry.file))).toEqual({ width: 1536, height: 768, format: 'png' })
  })

  it('sends style, substyle, the reference image and providerOptions inside input', async () => {
    const dir = project({
      provider: provider(),
      assets: { hero: { prompt: 'Like this', size: '1024x1024', style: 'vector_illustration', substyle: 'line_art', image: 'reference.png', providerOptions: { seed: 42, controls: { no_text: true } } } },
    })
    await build(dir)
    const reference = readFileSync(join(dir, 'reference.png')).toString('base64')
    expect(served.fake.apiRequests[0]!.json.input).toEqual({
      prompt: 'Like this',
      size: '1024x1024',
      style: 'vector_illustration',
      substyle: 'line_art',
      image: `data:image/png;base64,${reference}`,
      seed: 42,
      controls: { no_text: true },
    })

    served.fake.reset()
    const plain = project({ provider: provider({ imageEncoding: 'base64' }), assets: { hero: { prompt: 'Like this', size: '1024x1024', image: 'reference.png' } } })
    await build(plain)
    expect(served.fake.apiRequests[0]!.json.input.image).toBe(reference)
  })

  it('makes variants one call after another and records them all', async () => {
    served.fake.latency = 50
    const dir = project({ provider: provider(), assets: { logo: { prompt: 'A logo', size: '1024x1024', variants: 3 } } })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(3)
    expect(served.fake.maxInFlight).toBe(1)
    const entry = readLock(dir).logo
    expect(entry.variants).toHaveLength(3)
    expect(storeImages(dir)).toHaveLength(3)
  })

  it('accepts success: true and a base64 result.image', async () => {
    const bytes = await served.fake.image(1024, 1024, 'png')
    served.fake.fail({ kind: 'reply', reply: json(200, { success: true, result: { image: bytes.toString('base64') }, state: 'Completed' }) })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    await build(dir)
    expect(readFileSync(join(dir, 'ai-assets', readLock(dir).hero.file))).toEqual(bytes)
  })

  it('fails on a state other than Completed', async () => {
    served.fake.fail({ kind: 'reply', reply: json(200, { result: null, state: 'Failed', errors: [{ code: 2002, message: 'Model execution failed' }] }) })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    const message = await buildError(dir)
    expect(message).toContain('Provider "cloudflare" (recraft/recraftv4-1) could not generate "hero": HTTP 200 with state "Failed" instead of "Completed": Model execution failed (code 2002)')
    expect(storeImages(dir)).toEqual([])
  })

  it('fails on success: false in a 200 answer', async () => {
    served.fake.fail({ kind: 'reply', reply: json(200, { success: false, errors: [{ code: 3040, message: 'Capacity temporarily exceeded' }], messages: [], result: null }) })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    expect(await buildError(dir)).toContain('HTTP 200 with success: false: Capacity temporarily exceeded (code 3040)')
  })

  it('reports a 400 envelope at once with its code', async () => {
    served.fake.fail({ kind: 'reply', reply: json(400, { success: false, errors: [{ code: 5006, message: 'Error: required properties at \'/\' are \'prompt\'' }], messages: [], result: null }) })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    const message = await buildError(dir)
    expect(message).toContain('could not generate "hero": HTTP 400: Error: required properties at \'/\' are \'prompt\' (code 5006)')
    expect(served.fake.apiRequests).toHaveLength(1)
  })

  it('names the account nowhere in its errors', async () => {
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    served.fake.fail({ kind: 'reply', reply: json(404, { success: false, errors: [{ code: 7003, message: `Could not route to /client/v4/accounts/${ACCOUNT}/ai/run` }], messages: [], result: null }) })
    const message = await buildError(dir)
    expect(message).toContain('HTTP 404: Could not route to /client/v4/accounts/[CLOUDFLARE_ACCOUNT_ID]/ai/run (code 7003)')
    expect(message).not.toContain(ACCOUNT)
  })
})
