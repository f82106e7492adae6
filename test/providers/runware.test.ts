/** Runware against its fake: the task array field by field, sync and async delivery, output types, variants and cost. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RUNWARE_COST, runwareError, startRunwareFake } from '../fakes/runware'
import { decode } from '../helpers'
import { build, buildError, caseOf, FAST, project, readLock, storeImages, useFake } from './setup'

const KEY = caseOf('runware').env.RUNWARE_API_KEY!
const served = useFake(caseOf('runware'))
const provider = (settings: Record<string, unknown> = {}) => ({ name: 'runware', baseURL: `${served.fake.url}/v1`, ...FAST, ...settings })

describe('runware', () => {
  it('sends one imageInference task as documented and stores the image it answers', async () => {
    const dir = project({
      provider: provider(),
      palettes: { brand: { colors: ['#ff6b35', [0, 43, 91]], background: '#f5f5f5' } },
      defaults: { palette: 'brand' },
      assets: { hero: { prompt: 'A cozy cabin in the woods', size: '1536x768', style: 'digital_illustration' } },
    })
    await build(dir)

    const [call, ...rest] = served.fake.apiRequests
    expect(rest).toHaveLength(0)
    expect(call!.method).toBe('POST')
    expect(call!.path).toBe('/v1')
    expect(call!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(call!.headers['content-type']).toBe('application/json')
    expect(Array.isArray(call!.json)).toBe(true)
    expect(call!.json).toHaveLength(1)
    const task = call!.json[0]
    expect(task.taskUUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(task).toEqual({
      taskType: 'imageInference',
      taskUUID: task.taskUUID,
      model: 'recraft:v4.1@0',
      positivePrompt: 'A cozy cabin in the woods',
      width: 1536,
      height: 768,
      numberResults: 1,
      outputType: 'URL',
      outputFormat: 'PNG',
      includeCost: true,
      deliveryMethod: 'sync',
      settings: {
        colors: [{ rgb: [255, 107, 53] }, { rgb: [0, 43, 91] }],
        backgroundColor: { rgb: [245, 245, 245] },
        style: 'digital_illustration',
      },
    })
    // The image URL was downloaded without the API key.
    const downloads = served.fake.requests.filter(r => r.kind === 'download')
    expect(downloads).toHaveLength(1)
    expect(downloads[0]!.headers.authorization).toBeUndefined()

    const entry = readLock(dir).hero
    expect(entry).toMatchObject({ provider: 'runware', model: 'recraft:v4.1@0', width: 1536, height: 768, cost: RUNWARE_COST['recraft:v4.1@0'] })
    expect(entry.file).toMatch(/^hero\.[0-9a-f]{12}\.png$/)
    expect(await decode(join(dir, 'ai-assets', entry.file))).toEqual({ width: 1536, height: 768, format: 'png' })
  })

  it('leaves out settings when there is no palette and style, and merges providerOptions into the task', async () => {
    const dir = project({
      provider: provider({ model: 'recraft:v4.1-pro@0', outputFormat: 'JPG', outputQuality: 80, includeCost: false }),
      assets: { hero: { prompt: 'A lighthouse', size: '2048x2048', providerOptions: { ttl: 3600, settings: { extra: true } } } },
    })
    await build(dir)
    const task = served.fake.apiRequests[0]!.json[0]
    expect(task).toMatchObject({ model: 'recraft:v4.1-pro@0', width: 2048, height: 2048, outputFormat: 'JPG', outputQuality: 80, includeCost: false, ttl: 3600, settings: { extra: true } })
    expect(task.settings).toEqual({ extra: true })
    expect(task).not.toHaveProperty('referenceImages')
    const entry = readLock(dir).hero
    expect(entry.cost).toBeUndefined()
    expect(entry.file).toMatch(/\.jpg$/)
    expect(await decode(join(dir, 'ai-assets', entry.file))).toEqual({ width: 2048, height: 2048, format: 'jpeg' })
  })

  it('asks for variants with numberResults and records every variant and the summed cost', async () => {
    const dir = project({
      provider: provider({ outputType: 'base64Data', outputFormat: 'WEBP' }),
      assets: { logo: { prompt: 'A minimalist logo', size: '1024x1024', variants: 3 } },
    })
    await build(dir)
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(served.fake.apiRequests[0]!.json[0]).toMatchObject({ numberResults: 3, outputType: 'base64Data', outputFormat: 'WEBP' })
    expect(served.fake.requests.filter(r => r.kind === 'download')).toHaveLength(0)
    const entry = readLock(dir).logo
    expect(entry.variants).toHaveLength(3)
    expect(new Set(entry.variants.map((v: { sha256: string }) => v.sha256)).size).toBe(3)
    expect(entry.pick).toBe(0)
    expect(entry.cost).toBeCloseTo(3 * RUNWARE_COST['recraft:v4.1@0']!, 6)
    expect(storeImages(dir).sort()).toEqual(entry.variants.map((v: { file: string }) => v.file).sort())
    for (const variant of entry.variants)
      expect(await decode(join(dir, 'ai-assets', variant.file))).toEqual({ width: 1024, height: 1024, format: 'webp' })
  })

  it('reads dataURI answers and sends the reference image as a data URI', async () => {
    const dir = project({
      provider: provider({ outputType: 'dataURI' }),
      assets: { hero: { prompt: 'Like this', size: '1024x1024', image: 'reference.png' } },
    })
    await build(dir)
    const task = served.fake.apiRequests[0]!.json[0]
    expect(task.outputType).toBe('dataURI')
    expect(task.referenceImages).toEqual([`data:image/png;base64,${readFileSync(join(dir, 'reference.png')).toString('base64')}`])
    expect(storeImages(dir)).toHaveLength(1)
  })

  it('delivers async: acknowledges, then polls getResponse until the task succeeds', async () => {
    const dir = project({
      provider: provider({ delivery: 'async', pollInterval: 20 }),
      assets: { hero: { prompt: 'A cabin', size: '1024x1024', variants: 2 } },
    })
    const started = Date.now()
    await build(dir)
    const [submit, ...polls] = served.fake.apiRequests
    expect(submit!.json[0]).toMatchObject({ taskType: 'imageInference', deliveryMethod: 'async', numberResults: 2 })
    // The fake answers "processing" to the first poll, then the results.
    expect(polls.map(p => p.json)).toEqual([
      [{ taskType: 'getResponse', taskUUID: submit!.json[0].taskUUID }],
      [{ taskType: 'getResponse', taskUUID: submit!.json[0].taskUUID }],
    ])
    // Waits of 20 then 30 ms (×1.5 backoff) came before the two polls.
    expect(Date.now() - started).toBeGreaterThanOrEqual(50)
    const entry = readLock(dir).hero
    expect(entry.variants).toHaveLength(2)
    expect(entry.cost).toBeCloseTo(2 * RUNWARE_COST['recraft:v4.1@0']!, 6)
  })

  it('fails an async task that ends in error, naming asset, provider and message, storing nothing', async () => {
    const dir = project({ provider: provider({ delivery: 'async', pollInterval: 5 }), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    served.fake.fail({ kind: 'task-error', message: 'Inference failed: content moderation' })
    const message = await buildError(dir)
    expect(message).toContain('Provider "runware" (recraft:v4.1@0) could not generate "hero"')
    expect(message).toContain('HTTP 200')
    expect(message).toContain('Inference failed: content moderation (code inferenceError)')
    expect(storeImages(dir)).toEqual([])
    expect(readLock(dir)).toEqual({})
  })

  it('gives up polling after pollTimeout', async () => {
    const slow = await startRunwareFake(KEY, { asyncPolls: 1000 })
    try {
      const dir = project({ provider: { ...provider({ delivery: 'async', pollInterval: 10, maxPollInterval: 20, pollTimeout: 300 }), baseURL: `${slow.url}/v1` }, assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
      const message = await buildError(dir)
      expect(message).toMatch(/could not generate "hero": task [0-9a-f-]+ was not finished after 300 ms of polling \(pollTimeout\)/)
      expect(slow.apiRequests.length).toBeGreaterThan(3)
      expect(storeImages(dir)).toEqual([])
    }
    finally {
      await slow.close()
    }
  })

  it('reports a 400 at once with the parameter Runware names', async () => {
    served.fake.fail({ kind: 'reply', reply: runwareError(400, 'Invalid value for outputFormat: TIFF', { parameter: 'outputFormat' }) })
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    const message = await buildError(dir)
    expect(message).toContain('could not generate "hero": HTTP 400: Invalid value for outputFormat: TIFF (code invalidParameter)')
    expect(served.fake.apiRequests).toHaveLength(1)
  })

  it('reads errors beside data in a 200 answer', async () => {
    const dir = project({ provider: provider(), assets: { hero: { prompt: 'A cabin', size: '1024x1024' } } })
    served.fake.fail({ kind: 'reply', reply: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: [], errors: [{ code: 'insufficientCredits', message: 'Not enough credits' }] }) } })
    const message = await buildError(dir)
    expect(message).toContain('HTTP 200 but the task failed: Not enough credits (code insufficientCredits)')
  })
})
