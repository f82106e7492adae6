/**
 * A generation holds its `concurrency` slot until its last paid request has
 * answered, not until its images are downloaded (README "Settings every
 * network provider takes"): every built-in provider says when that is
 * (`GenerateContext.answered`), after its last variant's call. Through
 * `generateAssets` with one slot, against each provider's fake answering
 * with image URLs, the last download of the first asset held for 2 s.
 */
import type { ProviderCase } from './setup'
import { describe, expect, it } from 'vitest'
import { generateAssets } from '../../src/core/generate'
import { CASES, FAST, paidCalls, project, readLock, storeImages, useFake } from './setup'

const HELD = 2000

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c)

  it('gives up its slot once its last paid call has answered: a slow download holds up no other generation', async () => {
    const dir = project({
      provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST, ...c.urlSettings },
      assets: { first: { prompt: 'A cozy cabin', size: '1024x1024', variants: 2 }, second: { prompt: 'A lighthouse', size: '1024x1024' } },
    })
    // The first download answers at once, the second (the first asset's last image) after HELD ms.
    served.fake.fail({ kind: 'silent', ms: 0, on: 'download' })
    served.fake.fail({ kind: 'silent', ms: HELD, on: 'download' })
    const result = await generateAssets({ root: dir, env: c.env, concurrency: 1, warn: () => {} })

    expect(result.ok, JSON.stringify(result.results)).toBe(true)
    // One paid request in flight at a time: Cloudflare's two variants are two calls, both in the first slot.
    expect(served.fake.maxInFlight).toBe(1)
    const paid = paidCalls(served.fake)
    expect(paid).toHaveLength(c.name === 'cloudflare' ? 3 : 2)
    const downloads = served.fake.requests.filter(r => r.kind === 'download')
    expect(downloads).toHaveLength(3)
    // The second asset's request went out while the first asset's last image was still being downloaded.
    expect(paid.at(-1)!.at).toBeGreaterThan(paid.at(-2)!.at)
    expect(paid.at(-1)!.at).toBeLessThan(downloads[1]!.at + HELD)
    // Both stored whole: the first with its two variants.
    const lock = readLock(dir)
    expect(lock.first.variants).toHaveLength(2)
    expect(storeImages(dir)).toHaveLength(3)
  })
})
