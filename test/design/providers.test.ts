/**
 * The vector and tool calls of Runware and Cloudflare, field by field against
 * their fakes, through real Vite builds: Runware's `vectorize` tasks with the
 * palette under `providerSettings.recraft`, its `removeBackground` and
 * raster-to-SVG tasks; Cloudflare's vector models answering SVG behind a
 * `.jpg` link.
 */
import type { FakeServer } from '../fakes/server'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCloudflareFake } from '../fakes/cloudflare'
import { RUNWARE_COST, startRunwareFake } from '../fakes/runware'
import { useEnv } from '../providers/setup'
import { buildBoth, designProject, readLock } from './project'

const RUNWARE_KEY = 'rw-key-SECRET-design-4411'
const CF = { accountId: '9a1c2a7be1d04c58a6e2b9d17c0f4e81', token: 'Cf7vN2pLr8TzK4wYc9HdJ6mBf3GsA5eU1oRiW0tQ' }
let runware: FakeServer
let cloudflare: FakeServer

beforeAll(async () => {
  useEnv({ RUNWARE_API_KEY: RUNWARE_KEY, CLOUDFLARE_ACCOUNT_ID: CF.accountId, CLOUDFLARE_API_TOKEN: CF.token })
  runware = await startRunwareFake(RUNWARE_KEY)
  cloudflare = await startCloudflareFake(CF)
})
afterAll(() => Promise.all([runware.close(), cloudflare.close()]))

const tasks = (fake: FakeServer) => fake.apiRequests.map(r => r.json[0])

describe('runware', () => {
  it('makes SVG with a vectorize task per variant, colours under providerSettings.recraft', async () => {
    runware.reset()
    const dir = designProject({
      provider: { name: 'runware', baseURL: `${runware.url}/v1`, model: 'recraft:v4.1-pro@0' },
      assets: { logo: { prompt: 'A fox logo', vector: true, size: '2048x2048', colors: ['#ff6b35'], background: '#ffffff', variants: 2 } },
      imports: { logo: 'logo' },
    })
    const { exports } = await buildBoth(dir)
    const sent = tasks(runware)
    expect(sent).toHaveLength(2)
    for (const task of sent) {
      expect(task).toMatchObject({
        taskType: 'vectorize',
        model: 'recraft:v4-pro@vector',
        positivePrompt: 'A fox logo',
        width: 2048,
        height: 2048,
        outputFormat: 'SVG',
        includeCost: true,
        providerSettings: { recraft: { colors: [{ rgb: [255, 107, 53] }], backgroundColor: { rgb: [255, 255, 255] } } },
      })
      expect(task.numberResults).toBeUndefined()
      expect(task.settings).toBeUndefined()
    }
    expect(new Set(sent.map(t => t.taskUUID)).size).toBe(2)
    const entry = readLock(dir).logo
    expect(entry).toMatchObject({ model: 'recraft:v4-pro@vector', cost: 2 * RUNWARE_COST['recraft:v4-pro@vector']! })
    expect(entry.variants).toHaveLength(2)
    expect(entry.file).toMatch(/\.svg$/)
    expect(exports.logo).toMatchObject({ format: 'svg', width: 2048, height: 2048 })
  })

  it('removes the background with a removeBackground task (inputs.image, PNG) and adds its cost', async () => {
    runware.reset()
    const dir = designProject({
      provider: { name: 'runware', baseURL: `${runware.url}/v1`, outputType: 'base64Data' },
      assets: { product: { prompt: 'A sneaker', transparent: true, formats: ['webp'] } },
      imports: { product: 'product' },
    })
    await buildBoth(dir)
    const [generation, removal] = tasks(runware)
    expect(generation.taskType).toBe('imageInference')
    expect(removal).toMatchObject({ taskType: 'removeBackground', model: 'runware:112@5', outputFormat: 'PNG', outputType: 'base64Data', includeCost: true })
    expect(removal.inputs.image).toMatch(/^data:image\/png;base64,/)
    expect(removal.inputImage).toBeUndefined()
    const entry = readLock(dir).product
    expect(entry.costs).toEqual({ generate: RUNWARE_COST['recraft:v4.1@0'], removeBackground: RUNWARE_COST.removeBackground })
    const { data } = await sharp(join(dir, 'ai-assets', entry.file)).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    expect(data[3]).toBe(0)
  })

  it('vectorizes a raster with recraft:1@1', async () => {
    runware.reset()
    const dir = designProject({
      provider: { name: 'runware', baseURL: `${runware.url}/v1` },
      assets: { cup: { prompt: 'A cup icon', vectorize: true } },
      imports: { cup: 'cup?raw' },
    })
    const { exports } = await buildBoth(dir)
    const [, vectorize] = tasks(runware)
    expect(vectorize).toMatchObject({ taskType: 'vectorize', model: 'recraft:1@1', outputFormat: 'SVG' })
    expect(vectorize.inputs.image).toMatch(/^data:image\/png;base64,/)
    expect(readLock(dir).cup.file).toMatch(/\.svg$/)
    expect(exports.cup).toMatch(/^<svg/)
  })

  it('a transparent vectorized icon: background removed from the raster first, then vectorized', async () => {
    runware.reset()
    const dir = designProject({
      provider: { name: 'runware', baseURL: `${runware.url}/v1` },
      assets: { badge: { prompt: 'A badge icon', vectorize: true, transparent: true } },
      imports: { badge: 'badge' },
    })
    const { exports } = await buildBoth(dir)
    expect(tasks(runware).map(t => t.taskType)).toEqual(['imageInference', 'removeBackground', 'vectorize'])
    const entry = readLock(dir).badge
    expect(Object.keys(entry.costs).sort()).toEqual(['generate', 'removeBackground', 'vectorize'])
    expect(entry.file).toMatch(/\.svg$/)
    expect(exports.badge.format).toBe('svg')
  })
})

describe('cloudflare', () => {
  it('asks the vector model and stores the SVG it links to as .jpg, judged by its bytes', async () => {
    cloudflare.reset()
    const dir = designProject({
      provider: { name: 'cloudflare', baseURL: `${cloudflare.url}/client/v4` },
      assets: { logo: { prompt: 'A coffee cup', vector: true } },
      imports: { logo: 'logo' },
    })
    const { exports } = await buildBoth(dir)
    expect(cloudflare.apiRequests[0]!.json).toMatchObject({ model: 'recraft/recraftv4-1-vector', input: { prompt: 'A coffee cup', size: '1024x1024' } })
    const download = cloudflare.requests.find(r => r.kind === 'download')!
    expect(download.path).toMatch(/\.jpg$/)
    const entry = readLock(dir).logo
    expect(entry.file).toMatch(/\.svg$/)
    expect(readFileSync(join(dir, 'ai-assets', entry.file), 'utf8')).toContain('<svg')
    expect(exports.logo.format).toBe('svg')
  })
})
