/**
 * The CLI with design assets, as users run it (the real bin) against the
 * Recraft fake: the dry run names every call it would pay for, and `build`
 * writes the sanitised `.svg` and lists it in manifest.json.
 */
import type { RecraftFake } from '../fakes/recraft'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../cli/cli'
import { startRecraftFake } from '../fakes/recraft'
import { designProject, writeReference } from './project'

const TOKEN = 'rc-token-SECRET-cli-9e02'
let fake: RecraftFake

beforeAll(async () => {
  fake = await startRecraftFake(TOKEN)
})
afterAll(() => fake.close())

describe('ai-assets with design assets', () => {
  it('a dry run prices generation, background removal, vectorize and the brand style; build writes the SVG into the manifest', async () => {
    fake.reset()
    fake.svgKind = 'malicious'
    const dir = designProject({
      provider: { name: 'recraft', baseURL: `${fake.url}/v1` },
      brands: { acme: { references: ['./brand/a.png'] } },
      assets: {
        logo: { prompt: 'A logo', vector: true, formats: ['svg', 'png'] },
        product: { prompt: 'A sneaker', transparent: true, formats: ['webp'] },
        cup: { prompt: 'A cup icon', vectorize: true },
        scene: { prompt: 'A harbour', brand: 'acme', formats: ['webp'] },
      },
      imports: { logo: 'logo' },
    })
    await writeReference(dir, 'brand/a.png', '#ff6b35')
    const env = { RECRAFT_API_TOKEN: TOKEN }

    const dry = await cli(dir, ['generate', '--dry-run'], env)
    expect(dry.stderr).toBe('')
    expect(dry.stdout).toMatch(/generate\s+logo\s+recraft recraftv4_1_vector\s+\$0\.08\s/)
    expect(dry.stdout).toMatch(/generate\s+product\s+recraft recraftv4_1\s+~\$0\.05 \(1 image \+ background removal\)/)
    expect(dry.stdout).toMatch(/generate\s+cup\s+recraft recraftv4_1\s+~\$0\.05 \(1 image \+ vectorize\)/)
    expect(dry.stdout).toMatch(/generate\s+scene\s+recraft recraftv4_1\s+~\$0\.08 \(1 image \+ style creation\)/)
    expect(dry.stdout).toMatch(/Estimated cost: ~\$0\.26 /)
    expect(fake.requests).toEqual([])

    const built = await cli(dir, ['build', '--out', 'site/img', '--base', '/img'], env)
    expect(built.stderr).toBe('')
    expect(built.code).toBe(0)
    expect(fake.apiRequests.map(r => r.path).sort()).toEqual([
      '/v1/images/generations',
      '/v1/images/generations',
      '/v1/images/generations',
      '/v1/images/generations',
      '/v1/images/removeBackground',
      '/v1/images/vectorize',
      '/v1/styles',
    ])
    const out = join(dir, 'site', 'img')
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    for (const name of ['logo', 'cup']) {
      const image = manifest[name]
      expect(image).toMatchObject({ format: 'svg', width: 1024, height: 1024 })
      expect(image.src).toMatch(new RegExp(`^/img/${name}-1024\\.[0-9a-f]{8}\\.svg$`))
      const svg = readFileSync(join(out, image.src.replace(/^\/img\//, '')), 'utf8')
      expect(svg).not.toMatch(/<script|onload|javascript:|evil\.example|foreignObject/)
      expect((await sharp(Buffer.from(svg)).metadata()).format).toBe('svg')
    }
    expect(manifest.logo.sources.map((s: { type: string }) => s.type)).toEqual(['image/svg+xml', 'image/png'])
    expect(manifest.product).toMatchObject({ format: 'png', transparent: true })
  })
})
