/** Recraft's API against its fake: generations and imageToImage field by field, n, credits and plain-text errors. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RECRAFT_CREDITS } from '../fakes/recraft'
import { decode } from '../helpers'
import { build, buildError, caseOf, FAST, project, readLock, storeImages, useFake } from './setup'

const TOKEN = caseOf('recraft').env.RECRAFT_API_TOKEN!
const served = useFake(caseOf('recraft'))
const provider = (settings: Record<string, unknown> = {}) => ({ name: 'recraft', baseURL: `${served.fake.url}/v1`, ...FAST, ...settings })

describe('recraft', () => {
  it('posts the documented body to /images/generations and stores the b64_json image', async () => {
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
    expect(call.path).toBe('/v1/images/generations')
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(call.json).toEqual({
      prompt: 'A cozy cabin in the woods',
      model: 'recraftv4_1',
      size: '1536x768',
      n: 1,
      response_format: 'b64_json',
      controls: { colors: [{ rgb: [255, 107, 53] }, { rgb: [0, 43, 91] }], background_color: { rgb: [245, 245, 245] } },
    })
    expect(served.fake.requests.filter(r => r.kind === 'download')).toHaveLength(0)
    const entry = readLock(dir).hero
    // 40 credits at 1000 credits per USD.
    expect(entry).toMatchObject({ provider: 'recraft', model: 'recraftv4_1', width: 1536, height: 768, cost: RECRAFT_CREDITS.recraftv4_1! / 1000 })
    expect(await decode(join(dir, 'ai-assets', entry.file))).toEqual({ width: 1536, height: 768, format: 'webp' })
  })

  it('asks for variants with n, downloads url answers and turns credits into cost', async () => {
    const dir = project({
      provider: provider({ model: 'recraftv4_1_pro', responseFormat: 'url' }),
      assets: { logo: { prompt: 'A logo', size: '2048x2048', variants: 3, style: 'icon', substyle: 'flat', providerOptions: { text_layout: [] } } },
    })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(served.fake.apiRequests[0]!.json).toEqual({ prompt: 'A logo', model: 'recraftv4_1_pro', size: '2048x2048', n: 3, response_format: 'url', style: 'icon', substyle: 'flat', text_layout: [] })
    const downloads = served.fake.requests.filter(r => r.kind === 'download')
    expect(downloads).toHaveLength(3)
    expect(downloads.every(d => d.headers.authorization === undefined)).toBe(true)
    const entry = readLock(dir).logo
    expect(entry.variants).toHaveLength(3)
    expect(entry.cost).toBeCloseTo(3 * RECRAFT_CREDITS.recraftv4_1_pro! / 1000, 6)
    expect(storeImages(dir)).toHaveLength(3)
  })

  it('sends a reference image to /images/imageToImage as multipart', async () => {
    const dir = project({
      provider: provider({ strength: 0.3 }),
      assets: { hero: { prompt: 'Like this', size: '1024x1024', image: 'reference.png', colors: ['#ff0000'] } },
    })
    await build(dir)
    const call = served.fake.apiRequests[0]!
    expect(call.path).toBe('/v1/images/imageToImage')
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const form = await new Response(call.body, { headers: { 'content-type': call.headers['content-type']! } }).formData()
    const image = form.get('image') as File
    expect(Buffer.from(await image.arrayBuffer())).toEqual(readFileSync(join(dir, 'reference.png')))
    expect(image.type).toBe('image/png')
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'image'))).toEqual({
      prompt: 'Like this',
      model: 'recraftv4_1',
      // imageToImage has no size: the result takes the reference's.
      n: '1',
      response_format: 'b64_json',
      controls: JSON.stringify({ colors: [{ rgb: [255, 0, 0] }] }),
      strength: '0.3',
    })
    expect(storeImages(dir)).toHaveLength(1)
    // The result takes the reference's size (320×256), not the asset's `size`.
    expect(await decode(join(dir, 'ai-assets', readLock(dir).hero.file))).toMatchObject({ width: 320, height: 256 })
  })

  it('shows a plain-text 404 as it is', async () => {
    const dir = project({ provider: { ...provider(), baseURL: `${served.fake.url}/v2` }, assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    const message = await buildError(dir)
    expect(message).toContain('Provider "recraft" (recraftv4_1) could not generate "hero": HTTP 404: 404 page not found')
    expect(served.fake.apiRequests).toHaveLength(1)
  })

  it('reads a JSON 400 error, and fails at once', async () => {
    served.fake.fail({ kind: 'status', status: 400, message: 'n must be between 1 and 6' })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    const message = await buildError(dir)
    expect(message).toContain('could not generate "hero": HTTP 400: n must be between 1 and 6 (code invalid_request)')
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(storeImages(dir)).toEqual([])
  })

  it('does not parse a JSON-looking body sent as text/plain', async () => {
    served.fake.fail({ kind: 'reply', reply: { status: 403, headers: { 'content-type': 'text/plain' }, body: '{"message":"forbidden"}' } })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    expect(await buildError(dir)).toContain('HTTP 403: {"message":"forbidden"}')
  })
})
