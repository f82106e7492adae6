/**
 * Where a Vite build puts the images: the folder of `output.assetFileNames`
 * when a framework names its assets itself (SvelteKit), else `build.assetsDir`.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyFixture, decode, listFiles, readText, viteBuild } from '../helpers'

const images = (dist: string) => listFiles(dist).filter(file => /\.(?:webp|avif|png|jpe?g)$/.test(file))

describe('the images\' folder in a vite build', () => {
  it('follows the folder of output.assetFileNames, as the bundle\'s other assets do', async () => {
    const root = copyFixture('counting')
    const dist = await viteBuild(root, {}, { build: { rollupOptions: { output: { assetFileNames: 'static/media/[name].[hash][extname]' } } } })
    const files = images(dist)
    expect(files.length).toBeGreaterThan(0)
    for (const file of files)
      expect(file).toMatch(/^static\/media\/(?:hero|logo)-\d+\.[0-9a-f]{8}\.\w+$/)
    expect(await decode(join(dist, files[0]!))).toMatchObject({ width: expect.any(Number) })
    const code = readText(dist, file => file.endsWith('.js'))
    for (const file of files)
      expect(code).toContain(`/${file}`)
  })

  it('keeps build.assetsDir when assetFileNames puts files in per-file folders', async () => {
    const root = copyFixture('counting')
    const dist = await viteBuild(root, {}, { build: { assetsDir: 'img', rollupOptions: { output: { assetFileNames: '[ext]/[name].[hash][extname]' } } } })
    for (const file of images(dist))
      expect(file).toMatch(/^img\/(?:hero|logo)-\d+\.[0-9a-f]{8}\.\w+$/)
  })
})
