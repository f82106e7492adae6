/**
 * A generation call is paid: once its request has gone out, it is never sent
 * again blindly. A connection that could not be made is retried (nothing was
 * sent); an answer lost after the request went out fails with a message saying
 * the call may have been billed (Cloudflare, Recraft), or is asked for by its
 * taskUUID with getResponse (Runware). Through the pipeline, against the fakes.
 */
import type { ProviderCase } from './setup'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { CASES, FAST, generateError, paidCalls, project, readLock, storeImages, useFake } from './setup'

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  const hero = (settings: Record<string, unknown> = {}) => project({
    provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST, ...settings },
    assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } },
  })
  const expectStored = (dir: string) => {
    expect(storeImages(dir)).toHaveLength(1)
    expect(readLock(dir).hero.file).toBe(storeImages(dir)[0])
  }
  const expectNothingStored = (dir: string) => {
    expect(storeImages(dir)).toEqual([])
    expect(readLock(dir)).toEqual({})
  }

  /** Runware asked for the task it had posted, by its id, and posted nothing else. */
  const expectRecoveredByTaskUUID = () => {
    const [post, ...polls] = served.fake.apiRequests
    expect(post!.json[0].taskType).toBe('imageInference')
    expect(polls.length).toBeGreaterThan(0)
    for (const poll of polls)
      expect(poll.json).toEqual([{ taskType: 'getResponse', taskUUID: post!.json[0].taskUUID }])
  }

  for (const kind of ['reset-mid-body', 'reset'] as const) {
    const what = kind === 'reset' ? 'a connection reset before the answer' : 'a connection reset in the middle of the answer'
    if (c.name === 'runware') {
      it(`after ${what}, asks for the task with getResponse instead of posting it again`, async () => {
        const dir = hero()
        served.fake.fail({ kind })
        expect(await generateError(dir)).toBeUndefined()
        expect(paidCalls(served.fake)).toHaveLength(1)
        expectRecoveredByTaskUUID()
        expectStored(dir)
      })
    }
    else {
      it(`after ${what}, fails saying the call may have been billed, and sends it once`, async () => {
        const dir = hero()
        served.fake.fail({ kind })
        const message = await generateError(dir)
        expect(message).toMatch(new RegExp(`^Provider "${c.name}" \\(\\S+\\) could not generate "hero": request failed with a network error \\(.+\\)\\. The call may have been billed, so it was not sent again: check the spend on your .+, then rerun to try again\\.$`))
        expect(paidCalls(served.fake)).toHaveLength(1)
        expectNothingStored(dir)
      })
    }
  }

  it('retries a connection that could not be made: nothing was sent', async () => {
    // A port that was just free: connecting to it is refused.
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as { port: number }
    await new Promise(resolve => closed.close(resolve))
    const dir = project({
      provider: { name: c.name, baseURL: c.baseURL(served.fake).replace(/:\d+/, `:${port}`), ...FAST, retries: 2 },
      assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } },
    })
    const message = await generateError(dir)
    expect(message).toContain('could not generate "hero": request could not connect (ECONNREFUSED')
    expect(message).toContain('(gave up after 3 attempts)')
    expect(message).not.toContain('may have been billed')
    expectNothingStored(dir)
  })

  if (c.name === 'runware') {
    it('in async delivery, a lost acknowledgement is recovered by polling the task', async () => {
      const dir = hero({ delivery: 'async', pollInterval: 10 })
      served.fake.fail({ kind: 'reset-mid-body' })
      expect(await generateError(dir)).toBeUndefined()
      expect(paidCalls(served.fake)).toHaveLength(1)
      expectRecoveredByTaskUUID()
      expectStored(dir)
    })

    it('when getResponse does not know the task either, fails saying it may have been billed', async () => {
      const dir = hero()
      // A gateway error before the fake saw the task: Runware has no record of it.
      served.fake.fail({ kind: 'status', status: 502 })
      const message = await generateError(dir)
      expect(message).toMatch(/could not generate "hero": task [0-9a-f-]{36} got no usable answer \(HTTP 502: .+\), and asking for it by its taskUUID with getResponse did not recover it \(HTTP 400: Unknown taskUUID .+\)\. The call may have been billed, so it was not sent again: check the spend on your Runware dashboard \(https:\/\/my\.runware\.ai\), then rerun to try again\.$/)
      expect(paidCalls(served.fake)).toHaveLength(1)
      expectNothingStored(dir)
    })
  }
})
