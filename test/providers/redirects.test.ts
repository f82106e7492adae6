/**
 * Redirects: an API call stays on its origin (a 307/308 elsewhere fails,
 * naming the host, and the POST is never sent there); a download may follow
 * redirects to another host, a bounded number of times, never with credentials.
 */
import type { FakeServer } from '../fakes/server'
import type { ProviderCase } from './setup'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFake, text } from '../fakes/server'
import { CASES, FAST, generateError, paidCalls, project, readLock, storeImages, useEnv } from './setup'

describe.each(CASES)('$name', (c: ProviderCase) => {
  let fake: FakeServer
  /** Another host: it answers every API call with 200 and records what reached it. */
  let elsewhere: FakeServer
  beforeAll(async () => {
    useEnv(c.env)
    fake = await c.start()
    elsewhere = await startFake({ errorReply: text, api: async () => text(200, 'the other host answered') })
  })
  afterAll(async () => {
    await fake.close()
    await elsewhere.close()
  })
  beforeEach(() => {
    fake.reset()
    elsewhere.reset()
  })

  const hero = (settings: Record<string, unknown> = {}) => project({
    provider: { name: c.name, baseURL: c.baseURL(fake), ...FAST, ...c.urlSettings, ...settings },
    assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } },
  })

  it.each([307, 308])('an API call redirected (%i) to another host fails, naming it, and is not sent there', async (status) => {
    const dir = hero()
    fake.fail({ kind: 'redirect', status, location: `${elsewhere.url}/v1/steal` })
    const message = await generateError(dir)
    expect(message).toContain(`could not generate "hero": the API at ${fake.url} redirected the call (HTTP ${status}) to another host, ${elsewhere.url}: not followed`)
    expect(message).toContain('set the provider\'s `baseURL` to the new address')
    expect(elsewhere.requests).toEqual([])
    expect(paidCalls(fake)).toHaveLength(1)
    expect(storeImages(dir)).toEqual([])
    expect(readLock(dir)).toEqual({})
  })

  it('an API call redirected (307) on its own origin is followed, with its body', async () => {
    const dir = hero()
    // A relative Location, to the path the call was made to.
    const path = { cloudflare: `/client/v4/accounts/${c.env.CLOUDFLARE_ACCOUNT_ID}/ai/run`, runware: '/v1', recraft: '/v1/images/generations' }[c.name]
    fake.fail({ kind: 'redirect', status: 307, location: path })
    expect(await generateError(dir)).toBeUndefined()
    const [first, second] = fake.apiRequests
    expect(second!.body.equals(first!.body)).toBe(true)
    expect(second!.headers.authorization).toBe(first!.headers.authorization)
    expect(storeImages(dir)).toHaveLength(1)
  })

  it('a download follows a redirect to another host, without credentials', async () => {
    const dir = hero()
    // Result URLs point at the other host, which redirects to the image on the first.
    const original = fake.host.bind(fake)
    fake.host = (bytes, type) => {
      const url = original(bytes, type)
      elsewhere.fail({ kind: 'redirect', status: 302, location: url, on: 'download' })
      return `${elsewhere.url}/images/hop-${Math.random().toString(36).slice(2)}.png`
    }
    try {
      expect(await generateError(dir)).toBeUndefined()
    }
    finally {
      fake.host = original
    }
    const hop = elsewhere.requests.filter(r => r.kind === 'download')
    expect(hop).toHaveLength(1)
    expect(hop[0]!.headers.authorization).toBeUndefined()
    const landed = fake.requests.filter(r => r.kind === 'download')
    expect(landed).toHaveLength(1)
    expect(landed[0]!.headers.authorization).toBeUndefined()
    expect(storeImages(dir)).toHaveLength(1)
  })

  it('a download redirected in a loop stops after 5 redirects', async () => {
    const dir = hero({ retries: 0 })
    fake.fail({ kind: 'redirect', status: 302, location: `${elsewhere.url}/images/loop.png`, on: 'download' })
    elsewhere.fail({ kind: 'redirect', status: 302, location: `${elsewhere.url}/images/loop.png`, on: 'download' }, 10)
    const message = await generateError(dir)
    expect(message).toMatch(/could not generate "hero": image download was redirected more than 5 times \(last to http:\/\/127\.0\.0\.1:\d+\/images\/loop\.png\)/)
    expect(storeImages(dir)).toEqual([])
  })
})
