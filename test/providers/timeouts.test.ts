import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
/**
 * The per-attempt `timeout` holds against a server that never answers, one
 * that sends its headers a byte a second, and one that trickles its body a
 * byte a second, for API calls and downloads alike: the attempt fails with a
 * timeout and the connection is closed. The servers hold for 30 s, the timeout
 * is 1 s: "well under 30 s" holds on a loaded machine, where a ratio would not.
 */
import type { DeliveryFault } from '../fakes/delivery'
import type { RecordedRequest } from '../fakes/server'
import type { ProviderCase } from './setup'
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers'
import { CASES, FAST, generateError, paidCalls, project, readLock, storeImages, useFake } from './setup'

const HOLD = 30_000
const FAULTS: [string, DeliveryFault][] = [
  ['a server that never answers', { kind: 'silent', ms: HOLD }],
  ['headers sent a byte a second', { kind: 'slow-headers' }],
  ['a body trickled a byte a second', { kind: 'trickle' }],
]

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  const hero = (settings: Record<string, unknown> = {}) => project({
    provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST, ...c.urlSettings, timeout: 1000, ...settings },
    assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } },
  })
  /**
   * The connection of this request was closed before its answer was complete,
   * long before the server would have finished. The server hears of the close
   * a moment after the client has moved on: it is waited for.
   */
  const expectClosedEarly = async (request: RecordedRequest | undefined) => {
    await expect.poll(() => request?.abandonedAt, { timeout: 5000, interval: 20 }).toBeDefined()
    expect(request!.abandonedAt! - request!.at).toBeLessThan(HOLD / 2)
  }

  describe.each(FAULTS)('against %s', (_, fault) => {
    it('an API call times out and its connection is closed', async () => {
      const dir = hero()
      served.fake.fail(fault)
      const started = Date.now()
      const message = await generateError(dir)
      expect(Date.now() - started).toBeLessThan(HOLD / 2)
      await expectClosedEarly(served.fake.apiRequests[0])
      expect(paidCalls(served.fake)).toHaveLength(1)
      if (c.name === 'runware') {
        // The task was posted once and recovered by its id.
        expect(message).toBeUndefined()
        expect(readLock(dir).hero).toBeDefined()
      }
      else {
        expect(message).toContain('could not generate "hero": request got no complete answer within 1000 ms (timeout). The call may have been billed')
        expect(storeImages(dir)).toEqual([])
      }
    })

    it('a download times out, its connection is closed, and it fails after its retries', async () => {
      const dir = hero({ retries: 1 })
      served.fake.fail({ ...fault, on: 'download' }, 2)
      const started = Date.now()
      const message = await generateError(dir)
      expect(Date.now() - started).toBeLessThan(HOLD / 2)
      expect(message).toContain('could not generate "hero": image download got no complete answer within 1000 ms (timeout) (gave up after 2 attempts)')
      const downloads = served.fake.requests.filter(r => r.kind === 'download')
      expect(downloads).toHaveLength(2)
      for (const download of downloads)
        await expectClosedEarly(download)
      expect(paidCalls(served.fake)).toHaveLength(1)
      expect(storeImages(dir)).toEqual([])
      expect(readLock(dir)).toEqual({})
    })
  })

  it('a download that timed out once is downloaded again (a GET is safe to repeat)', async () => {
    const dir = hero()
    served.fake.fail({ kind: 'silent', ms: HOLD, on: 'download' })
    expect(await generateError(dir)).toBeUndefined()
    expect(served.fake.requests.filter(r => r.kind === 'download')).toHaveLength(2)
    expect(paidCalls(served.fake)).toHaveLength(1)
    expect(storeImages(dir)).toHaveLength(1)
  })
})

describe('the timeout under garbage collection', () => {
  it('still fires when the collector runs during the attempt', async () => {
    // The cause of attempts that outlived their timeout: a timeout signal inside
    // AbortSignal.any is held weakly, and a collection took it with its timer.
    const held: ServerResponse[] = []
    const server = createServer((req, res) => void req.resume().once('end', () => held.push(res)))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      const stdout = await new Promise<string>((resolve, reject) => execFile(process.execPath, ['--expose-gc', '--import', 'jiti/register', join(repoRoot, 'test/providers/children/timeout-under-gc.ts'), url], { cwd: repoRoot, timeout: HOLD }, (error, out, err) => error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)))
      const { ms, message } = JSON.parse(stdout)
      expect(message).toContain('request got no complete answer within 1000 ms (timeout)')
      expect(ms).toBeLessThan(HOLD / 2)
    }
    finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
