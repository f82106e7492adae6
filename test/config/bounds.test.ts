/**
 * The other side of malformed.test.ts: what lies right at the bounds is
 * accepted, and works end to end (the longest name is generated, stored and
 * written as derivatives by the real CLI).
 */
import type { FakeServer } from '../fakes/server'
import { mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadAssetsConfig } from '../../src/config/load'
import { MAX_NAME_SEGMENT_BYTES } from '../../src/config/names'
import { generateAssets } from '../../src/core/generate'
import { placeholderProvider } from '../../src/providers'
import { cli, readLock } from '../cli/cli'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture, decode, listFiles } from '../helpers'

const KEY = 'rw-key-bounds-81c4'

let fake: FakeServer
let png: Buffer
beforeAll(async () => {
  fake = await startRunwareFake(KEY)
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#1478c8' } }).png().toBuffer()
})
afterAll(() => fake.close())

function project(config: string, files: (root: string) => void = () => {}): string {
  const root = copyFixture('empty')
  writeFileSync(join(root, 'assets.config.mjs'), `export default ${config}`)
  files(root)
  return root
}

describe('reference images', () => {
  it('are read from a folder of allowImagesFrom, and sent', async () => {
    const root = project(`{ provider: { name: 'runware', baseURL: '${fake.url}/v1', retries: 0 }, allowImagesFrom: ['../shared-brand'],
      assets: { hero: { prompt: 'Like this', image: '../shared-brand/logo.png', widths: [64] } } }`, (root) => {
      mkdirSync(join(root, '..', 'shared-brand'), { recursive: true })
      writeFileSync(join(root, '..', 'shared-brand', 'logo.png'), png)
    })
    fake.reset()
    const result = await generateAssets({ root, env: { RUNWARE_API_KEY: KEY }, warn: () => {} })
    expect(result.ok).toBe(true)
    expect(fake.apiRequests).toHaveLength(1)
    expect(fake.apiRequests[0]!.json[0].referenceImages).toEqual([`data:image/png;base64,${png.toString('base64')}`])
  })

  it('may be a symlink that stays inside the project; the real path is kept', async () => {
    const root = project(`{ assets: { hero: { prompt: 'x', image: './link.png' } } }`, (root) => {
      mkdirSync(join(root, 'refs'))
      writeFileSync(join(root, 'refs', 'real.png'), png)
      symlinkSync(join(root, 'refs', 'real.png'), join(root, 'link.png'))
    })
    const config = await loadAssetsConfig({ root })
    expect(config.assets.get('hero')!.imagePath).toBe(realpathSync(join(root, 'refs', 'real.png')))
  })
})

describe('values at the bounds load', () => {
  it.each([
    ['aspect: \'16:1\', widths: [8]', 16],
    ['aspect: \'1:16\'', 1 / 16],
    ['aspect: \'1.91:1\'', 1.91],
  ])('%s', async (fields, ratio) => {
    const config = await loadAssetsConfig({ root: project(`{ assets: { hero: { prompt: 'x', ${fields} } } }`) })
    expect(config.assets.get('hero')!.output.aspect).toBeCloseTo(ratio)
  })

  it('the placeholder takes 4096x4096 and a custom provider 16383x16383', async () => {
    const placeholder = await loadAssetsConfig({ root: project(`{ assets: { hero: { prompt: 'x', size: '4096x4096' } } }`) })
    expect(placeholder.assets.get('hero')!.generation).toMatchObject({ width: 4096, height: 4096 })
    const custom = await loadAssetsConfig({ root: project(`{ provider: { name: 'mine', generate: async () => ({ images: [] }) }, assets: { hero: { prompt: 'x', size: '16383x16383' } } }`) })
    expect(custom.assets.get('hero')!.generation).toMatchObject({ width: 16383, height: 16383 })
  })

  it('the placeholder refuses a larger size asked of it directly, before drawing anything', async () => {
    const request = { asset: 'hero', model: 'placeholder', prompt: 'x', width: 100000, height: 100000, colors: [], variants: 1, providerOptions: {} }
    const context = { signal: new AbortController().signal, env: {}, warn: () => {} }
    await expect(placeholderProvider.generate(request, context)).rejects.toThrow(/^100000x100000 is larger than the placeholder draws\. Accepted: each side from 1 to 4096$/)
  })
})

it(`an asset name of ${MAX_NAME_SEGMENT_BYTES} bytes per part is generated, stored and written by \`build --out\``, async () => {
  const name = `${'g'.repeat(MAX_NAME_SEGMENT_BYTES)}/${'n'.repeat(MAX_NAME_SEGMENT_BYTES)}`
  const dir = project(`{ provider: { name: 'runware', baseURL: '${fake.url}/v1', retries: 0 },
    assets: { '${name}': { prompt: 'A long name', size: '1536x768', widths: [1536], formats: ['webp', 'avif'], variants: 2 } } }`)
  fake.reset()
  const { code, stderr } = await cli(dir, ['build', '--out', 'out'], { RUNWARE_API_KEY: KEY })
  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(fake.apiRequests).toHaveLength(1)
  const entry = readLock(dir)[name]
  // Both variants are kept in the store, under the longest names it writes.
  expect(entry.variants).toHaveLength(2)
  const stored = readdirSync(join(dir, 'ai-assets', 'g'.repeat(MAX_NAME_SEGMENT_BYTES)))
  expect(stored).toHaveLength(2)
  for (const file of stored)
    expect(file).toMatch(new RegExp(`^n{${MAX_NAME_SEGMENT_BYTES}}\\.[0-9a-f]{12}\\.(png|jpg|webp)$`))
  // Each format, and the <img> fallback (a JPEG) when it is not one of them.
  const written = listFiles(join(dir, 'out')).filter(file => file !== 'manifest.json')
  expect(written.map(file => file.split('.').at(-1)).sort()).toEqual(['avif', 'jpg', 'webp'])
  for (const file of written) {
    expect(file).toMatch(new RegExp(`^g{${MAX_NAME_SEGMENT_BYTES}}/n{${MAX_NAME_SEGMENT_BYTES}}-1536\\.[0-9a-f]{8}\\.(webp|avif|jpg)$`))
    expect(await decode(join(dir, 'out', file))).toMatchObject({ width: 1536, height: 768 })
  }
})
