/** The shared HTTP layer: Retry-After in both forms, backoff bounds, and the error shapes it reads. */
import type { FakeServer } from '../fakes/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backoff, isRefusal, isTransient, messageOf, parseRetryAfter, providerMessage } from '../../src/providers/http'
import { builtinProviders } from '../../src/providers/index'
import { startRunwareFake } from '../fakes/runware'

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('1.5', now)).toBe(1500)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
})

describe('isTransient', () => {
  it('retries 408, 429 and 5xx, nothing else', () => {
    expect([408, 429, 500, 502, 503, 504, 599].filter(isTransient)).toEqual([408, 429, 500, 502, 503, 504, 599])
    expect([400, 401, 402, 403, 404, 409, 413, 422].filter(isTransient)).toEqual([])
  })
})

describe('isRefusal', () => {
  it('sends a paid call again only after 408, 429, 503, or a status with Retry-After', () => {
    expect([408, 429, 503].filter(status => isRefusal(status, null))).toEqual([408, 429, 503])
    expect([400, 401, 402, 403, 404, 500, 502, 504].filter(status => isRefusal(status, null))).toEqual([])
    expect([500, 502, 504].filter(status => isRefusal(status, '2'))).toEqual([500, 502, 504])
  })
})

describe('backoff', () => {
  it('doubles from retryDelay with jitter in the upper half, capped by maxRetryDelay', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(5000, 100 * 2 ** (attempt - 1))
      const delays = Array.from({ length: 200 }, () => backoff(attempt, { retryDelay: 100, maxRetryDelay: 5000 }))
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling / 2)
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling)
      // Jitter: not all the same.
      expect(new Set(delays).size).toBeGreaterThan(1)
    }
  })
})

describe('error messages', () => {
  it('reads every documented error shape', () => {
    expect(messageOf({ success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null })).toBe('Authentication error (code 10000)')
    expect(messageOf({ errors: [{ code: 'invalidApiKey', message: 'Bad key', parameter: 'apiKey' }, { code: 'x', message: 'Second' }] })).toBe('Bad key (code invalidApiKey); Second (code x)')
    expect(messageOf({ code: 'invalid_size', message: 'invalid size' })).toBe('invalid size (code invalid_size)')
    expect(messageOf({ error: { message: 'nested' } })).toBe('nested')
    expect(messageOf({ detail: 'detailed' })).toBe('detailed')
    expect(providerMessage('request unauthorized', 'text/plain')).toBe('request unauthorized')
    expect(providerMessage('{"message":"x"}', 'text/plain')).toBe('{"message":"x"}')
    expect(providerMessage('{oops', 'application/json')).toBe('{oops')
    expect(providerMessage('', null)).toBe('(empty body)')
    expect(providerMessage('x'.repeat(500), null)).toHaveLength(201)
  })
})

describe('Retry-After as an HTTP date', () => {
  let fake: FakeServer
  beforeAll(async () => {
    fake = await startRunwareFake('key-1234')
  })
  afterAll(() => fake.close())

  it('waits until the date, not its own backoff', async () => {
    const provider = builtinProviders.runware.create({ name: 'runware', model: 'recraft:v4.1@0', baseURL: `${fake.url}/v1`, retryDelay: 60_000, maxRetryDelay: 120_000, outputType: 'base64Data' })
    // HTTP dates have whole seconds: 2 s ahead is 1–2 s away.
    fake.fail({ kind: 'status', status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() })
    const started = Date.now()
    const result = await provider.generate(
      { asset: 'hero', model: 'recraft:v4.1@0', prompt: 'x', width: 1024, height: 1024, colors: [], variants: 1, providerOptions: {} },
      { signal: new AbortController().signal, env: { RUNWARE_API_KEY: 'key-1234' }, warn: () => {} },
    )
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(900)
    expect(elapsed).toBeLessThan(10_000)
    expect(fake.apiRequests).toHaveLength(2)
    expect(result.images).toHaveLength(1)
    expect(result.cost).toBeCloseTo(0.0384, 6)
  })
})
