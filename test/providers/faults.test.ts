/**
 * Every fault of the providers' error statuses, for each provider, through a
 * real vite build against its fake: refusals (the server says it did not do
 * the work) are retried and the build succeeds; the others end in one error
 * naming the asset, the provider, the HTTP status and the provider's message,
 * with nothing left in the store. Lost answers: paid-calls.test.ts.
 */
import type { ProviderCase } from './setup'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPipeline } from '../../src/core/pipeline'
import { build, buildError, CASES, FAST, paidCalls, project, readLock, storeImages, useFake } from './setup'

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  const provider = (settings: Record<string, unknown> = {}) => ({ name: c.name, baseURL: c.baseURL(served.fake), ...FAST, ...c.urlSettings, ...settings })
  const hero = (settings: Record<string, unknown> = {}) => project({ provider: provider(settings), assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } } })
  const expectStored = (dir: string) => {
    expect(storeImages(dir)).toHaveLength(1)
    expect(readLock(dir).hero.file).toBe(storeImages(dir)[0])
  }
  const expectNothingStored = (dir: string) => {
    expect(storeImages(dir)).toEqual([])
    expect(readLock(dir)).toEqual({})
  }
  const who = `Provider "${c.name}"`

  it('retries a 429 with Retry-After, then succeeds', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'status', status: 429, retryAfter: '0' })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(2)
    expectStored(dir)
  })

  it('honours Retry-After in seconds over its own backoff', async () => {
    // A backoff of 60 s would time the test out: only Retry-After lets it finish.
    const dir = hero({ retryDelay: 60_000, maxRetryDelay: 120_000 })
    served.fake.fail({ kind: 'status', status: 429, retryAfter: '1' })
    const started = Date.now()
    await build(dir)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(Date.now() - started).toBeLessThan(15_000)
    expectStored(dir)
  })

  it('retries the refusals 429, 503 and 408, and a 500 with Retry-After, then succeeds', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'status', status: 429 }).fail({ kind: 'status', status: 503 }).fail({ kind: 'status', status: 408 }).fail({ kind: 'status', status: 500, retryAfter: '0' })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(5)
    expectStored(dir)
  })

  it.each([500, 502, 504])('does not send a paid call again after HTTP %i: it may have been billed', async (status) => {
    const dir = hero()
    served.fake.fail({ kind: 'status', status })
    const message = await buildError(dir)
    expect(message).toContain(`${who} (`)
    expect(message).toContain(`could not generate "hero": `)
    expect(message).toContain(`HTTP ${status}: `)
    expect(message).toContain('The call may have been billed, so it was not sent again: check the spend on your')
    expect(message).toContain('then rerun to try again.')
    expect(paidCalls(served.fake)).toHaveLength(1)
    expectNothingStored(dir)
  })

  it('gives up after `retries` and names asset, provider, status and message', async () => {
    const dir = hero({ retries: 2 })
    served.fake.fail({ kind: 'status', status: 503, message: 'No capacity left in this region' }, 3)
    const message = await buildError(dir)
    expect(message).toContain(`${who} (`)
    expect(message).toContain('could not generate "hero": HTTP 503: No capacity left in this region')
    expect(message).toContain('(gave up after 3 attempts)')
    expect(served.fake.apiRequests).toHaveLength(3)
    expectNothingStored(dir)
  })

  it('does not wait for a Retry-After longer than maxRetryDelay', async () => {
    const dir = hero({ maxRetryDelay: 5000 })
    served.fake.fail({ kind: 'status', status: 429, retryAfter: '3600', message: 'Daily allocation exhausted' }, 5)
    const message = await buildError(dir)
    expect(message).toContain('HTTP 429: Daily allocation exhausted')
    expect(message).toContain('asks to retry after 3600 s')
    expect(served.fake.apiRequests).toHaveLength(1)
    expectNothingStored(dir)
  })

  it('fails at once on 401 with the provider message, and never shows the key', async () => {
    const dir = hero()
    const saved = { ...process.env }
    for (const name of Object.keys(c.env))
      process.env[name] = `${c.env[name]}-WRONG`
    try {
      const message = await buildError(dir)
      expect(message).toContain(`${who}`)
      expect(message).toContain('could not generate "hero": HTTP 401: ')
      expect(message).toMatch(c.name === 'recraft' ? /HTTP 401: request unauthorized/ : /Authentication error|Invalid API key/)
      for (const name of Object.keys(c.env))
        expect(message).not.toContain(process.env[name])
    }
    finally {
      Object.assign(process.env, saved)
    }
    expect(served.fake.apiRequests).toHaveLength(1)
    expectNothingStored(dir)
  })

  it('fails at once on malformed JSON, showing an excerpt, without sending the call again', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'malformed' })
    const message = await buildError(dir)
    expect(message).toContain('HTTP 200 with a body that is not JSON: {"data": [{"imageURL": "http://')
    expect(message).toContain('The call may have been billed')
    expect(paidCalls(served.fake)).toHaveLength(1)
    expectNothingStored(dir)
  })

  it('rejects an image URL that answers 404', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'not-found' })
    const message = await buildError(dir)
    expect(message).toMatch(/could not generate "hero": image download http:\/\/127\.0\.0\.1:\d+\/images\/\S+ failed with HTTP 404: .*NoSuchKey/)
    expect(message).not.toContain('signature=')
    expectNothingStored(dir)
  })

  it('downloads again when the image URL answers something that is not an image', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'not-image' })
    await build(dir)
    expect(served.fake.requests.filter(r => r.kind === 'download')).toHaveLength(2)
    expect(paidCalls(served.fake)).toHaveLength(1)
    expectStored(dir)
  })

  it('rejects a download that is never an image', async () => {
    const dir = hero({ retries: 1 })
    served.fake.fail({ kind: 'not-image' }, 2)
    const message = await buildError(dir)
    expect(message).toContain('is not a decodable image (50 bytes starting "<html><body>Access denie") (gave up after 2 attempts)')
    expect(paidCalls(served.fake)).toHaveLength(1)
    expectNothingStored(dir)
  })

  it('stops reading a download above the size limit (50 MB by default)', async () => {
    const dir = hero({ retries: 0 })
    served.fake.fail({ kind: 'oversized', bytes: 60 * 1024 * 1024 })
    const message = await buildError(dir)
    expect(message).toContain('image download answered HTTP 200 with more than maxDownloadBytes (52428800 bytes)')
    expectNothingStored(dir)
  })

  it('rejects a declared length above maxDownloadBytes before reading it', async () => {
    const dir = hero({ maxDownloadBytes: 10_000 })
    served.fake.fail({ kind: 'oversized', bytes: 20 * 1024 * 1024, declare: true })
    const message = await buildError(dir)
    expect(message).toContain(`image download answered HTTP 200 with ${20 * 1024 * 1024} bytes, more than maxDownloadBytes (10000)`)
    expectNothingStored(dir)
  })

  it('never has more requests in flight than `concurrency`', async () => {
    const assets = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`a${i}`, { prompt: `Asset ${i}`, size: '1024x1024' }]))
    served.fake.latency = 150
    const two = project({ provider: provider(), assets })
    await build(two, { concurrency: 2 })
    expect(served.fake.maxInFlight).toBe(2)
    expect(storeImages(two)).toHaveLength(6)

    served.fake.reset()
    served.fake.latency = 150
    const byDefault = project({ provider: provider(), assets })
    await build(byDefault)
    expect(served.fake.maxInFlight).toBe(4)
    expect(Object.keys(readLock(byDefault)).sort()).toEqual(Object.keys(assets).sort())
  })

  it('stops at once when the run is aborted, leaving no file', async () => {
    const dir = hero()
    // The server would answer after 30 s; the abort comes once the request has arrived, however loaded the machine.
    served.fake.fail({ kind: 'slow', ms: 30_000 })
    const controller = new AbortController()
    const pipeline = createPipeline({ root: dir, frozen: false, signal: controller.signal, warn: () => {} })
    let aborted = 0
    const abortOnRequest = setInterval(() => {
      if (served.fake.apiRequests.length > 0 && !aborted) {
        aborted = Date.now()
        controller.abort(new Error('interrupted (Ctrl-C)'))
      }
    }, 10)
    try {
      await expect(pipeline.original('hero')).rejects.toThrow(/could not generate "hero": interrupted \(Ctrl-C\)/)
    }
    finally {
      clearInterval(abortOnRequest)
    }
    expect(aborted).toBeGreaterThan(0)
    expect(Date.now() - aborted).toBeLessThan(10_000)
    expect(served.fake.apiRequests).toHaveLength(1)
    expectNothingStored(dir)
    expect(storeImages(join(dir))).toEqual([])
  })
})
