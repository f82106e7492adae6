/**
 * `unplugin-ai-assets/nuxt` in a real Nuxt 4 project: `nuxi generate` (client,
 * server and prerender), `nuxi dev` serving the images of the server-rendered
 * page, the auto-imported `<AiPicture>`, and the types from Nuxt's templates.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bin, buildEnv, clean, expectEmitted, expectServed, fixture, freePort, imageRefs, imageTags, MISSPELLED, read, run, startDev, typeErrors } from './frameworks'

const dir = fixture('nuxt')
// Outputs (`nuxi generate` builds in node_modules/.cache/nuxt); Vite's cache and the derivatives' stay warm.
const OUTPUTS = ['.nuxt', '.output', 'node_modules/.cache/nuxt']

function expectPage(html: string) {
  expect(html).not.toContain('file://')
  expect(imageTags(html)).toMatch(/<img id="plain" src="\/_nuxt\/hero-640\.[0-9a-f]{8}\.\w+"/)
  expect(imageTags(html)).toMatch(/<img id="logo" src="\/_nuxt\/logo-128\.[0-9a-f]{8}\.png"/)
  // <AiPicture>, auto-imported by the module: the Vue Picture component.
  expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\s[^>]*type="image\/webp"/)
}

describe('Nuxt 4', () => {
  it('nuxi generate emits the images that the prerendered HTML points at', async () => {
    clean(dir, OUTPUTS)
    await run(bin(dir, 'nuxi'), ['generate'], dir)
    const html = read(join(dir, '.output', 'public', 'index.html'))
    expectPage(html)
    const files = await expectEmitted(join(dir, '.output', 'public'), imageRefs(html))
    for (const file of files)
      expect(file).toMatch(/\/\.output\/public\/_nuxt\/(?:hero-(?:320|640)|logo-128)\.[0-9a-f]{8}\.\w+$/)
  }, 240_000)

  it('nuxi dev serves every image of the server-rendered page with 200', async () => {
    clean(dir, OUTPUTS)
    const port = await freePort()
    const server = await startDev(bin(dir, 'nuxi'), ['dev', '--host', '127.0.0.1', '--port', String(port), '--no-qr'], dir, /Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/)
    try {
      // The first request waits for the server bundle.
      const response = await fetch(server.url)
      const html = await response.text()
      expect(response.status, html).toBe(200)
      expect(imageTags(html)).toMatch(/<img id="plain" src="[^"]*\/hero-640\.[0-9a-f]{8}\.\w+"/)
      await expectServed(server.url, imageRefs(html))
    }
    finally {
      await server.close()
    }
  }, 240_000)

  it('declares the assets in Nuxt\'s generated types, so that a misspelled name fails tsc', async () => {
    clean(dir, ['.nuxt', 'ai-assets.d.ts'])
    // A root copy, as `ai-assets generate` wrote before it knew the module: nuxi prepare removes it and says so.
    await run(bin(dir, 'ai-assets'), ['types', '--dts', 'ai-assets.d.ts'], dir)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(true)
    expect(await run(bin(dir, 'nuxi'), ['prepare'], dir, buildEnv({ NODE_ENV: 'development' }))).toMatch(/Removed \S*ai-assets\.d\.ts: Nuxt's generated types declare the assets/)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(false)
    expect(read(join(dir, '.nuxt', 'nuxt.d.ts'))).toContain('/// <reference path="types/ai-assets.d.ts" />')
    expect(read(join(dir, '.nuxt', 'types', 'ai-assets.d.ts'))).toContain(`declare module '~ai-assets/hero' {`)
    expect(read(join(dir, '.nuxt', 'components.d.ts'))).toContain(`AiPicture: typeof import("unplugin-ai-assets/vue")['Picture']`)
    // The CLI writes the same file, not a second copy in the root, which tsconfig.app.json's "../*.d.ts" would include.
    await run(bin(dir, 'ai-assets'), ['types'], dir)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(false)
    // app/hero.ts imports real names; app/misspelled.ts does not.
    const { files, output } = typeErrors(dir, '.nuxt/tsconfig.app.json', { 'app/misspelled.ts': MISSPELLED })
    expect(files, output).toEqual(['app/misspelled.ts'])
  }, 120_000)

  it('types the `aiAssets` options of nuxt.config.ts from the module', () => {
    // .nuxt/tsconfig.node.json (written by `nuxi prepare` above) covers nuxt.config.ts and config files like it.
    const config = (options: string) => `import { defineNuxtConfig } from 'nuxt/config'\nexport default defineNuxtConfig({ modules: ['unplugin-ai-assets/nuxt'], aiAssets: ${options} })\n`
    const { files, output } = typeErrors(dir, 'tsconfig.config-check.json', {
      'tsconfig.config-check.json': JSON.stringify({ extends: './.nuxt/tsconfig.node.json', include: ['.nuxt/nuxt.node.d.ts', 'config-*.ts'] }),
      'config-valid.ts': config(`{ concurrency: 2, component: 'GeneratedPicture' }`),
      'config-invalid.ts': config(`{ concurrency: 'four' }`),
    })
    expect(files, output).toEqual(['config-invalid.ts'])
    expect(output).toMatch(/config-invalid\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/)
  }, 60_000)
})
