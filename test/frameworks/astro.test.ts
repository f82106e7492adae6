/**
 * `unplugin-ai-assets/astro` in real `astro build`s: Astro 5 on this Node, and
 * the newest Astro on the Node 22 that its fixture installs from npm (`node`).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { clean, expectEmitted, expectServed, fixture, bin as fixtureBin, freePort, imageRefs, imageTags, MISSPELLED, read, run, startDev, typeErrors } from './frameworks'

// Outputs and generated types; the caches (Vite's, the derivatives') stay warm, as in a project.
const OUTPUTS = ['dist', '.astro', 'node_modules/.astro', 'ai-assets.d.ts']

/** Astro's CLI script (`astro.js` in Astro 5, `bin/astro.mjs` in Astro 7). */
function astroScript(dir: string): string {
  const { bin } = JSON.parse(read(join(dir, 'node_modules', 'astro', 'package.json')))
  return join(dir, 'node_modules', 'astro', bin.astro)
}

async function astroBuild(name: string, node?: string) {
  const dir = fixture(name)
  clean(dir, OUTPUTS)
  const output = await run(node ?? process.execPath, [astroScript(dir), 'build'], dir)
  return { dir, output, html: read(join(dir, 'dist', 'index.html')) }
}

async function expectBuiltPage({ dir, html }: { dir: string, html: string }) {
  const refs = imageRefs(html)
  const files = await expectEmitted(join(dir, 'dist'), refs)
  // Astro's assets folder, content-hashed names.
  for (const file of files)
    expect(file).toMatch(/\/dist\/_astro\/(?:hero-(?:320|640)|logo-128)\.[0-9a-f]{8}\.(?:webp|png|jpe?g|avif)$/)
  expect(html).not.toContain('file://')
  // The plain <img>, the ?url <img>, and the Picture component's <picture>.
  expect(imageTags(html)).toMatch(/<img id="plain" src="\/_astro\/hero-640\./)
  expect(imageTags(html)).toMatch(/<img id="logo" src="\/_astro\/logo-128\.[0-9a-f]{8}\.png"/)
  expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\s[^>]*type="image\/webp"/)
  expect(html).toContain('alt="A cabin among tall pines"')
}

describe('Astro 5', () => {
  it('emits the images of astro build, which the HTML and the Picture component point at', async () => {
    const build = await astroBuild('astro')
    await expectBuiltPage(build)
  }, 180_000)

  it('astro dev serves every image of the server-rendered page with 200', async () => {
    const dir = fixture('astro')
    clean(dir, OUTPUTS)
    const port = await freePort()
    const server = await startDev(process.execPath, [astroScript(dir), 'dev', '--host', '127.0.0.1', '--port', String(port)], dir, /Local\s+(http:\/\/127\.0\.0\.1:\d+\/)/)
    try {
      const response = await fetch(server.url)
      const html = await response.text()
      expect(response.status, html).toBe(200)
      expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\s[^>]*type="image\/webp"/)
      await expectServed(server.url, imageRefs(html))
    }
    finally {
      await server.close()
    }
  }, 120_000)

  it('declares the assets through Astro\'s injected types, so that a misspelled name fails tsc', async () => {
    const dir = fixture('astro')
    clean(dir, OUTPUTS)
    // A root copy, as `ai-assets generate` wrote before it knew the integration: astro sync removes it and says so.
    await run(fixtureBin(dir, 'ai-assets'), ['types', '--dts', 'ai-assets.d.ts'], dir)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(true)
    expect(await run(process.execPath, [astroScript(dir), 'sync'], dir)).toMatch(/Removed \S*ai-assets\.d\.ts: Astro's generated types declare the assets/)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(false)
    const types = read(join(dir, '.astro', 'types.d.ts'))
    expect(types).toContain('/// <reference path="integrations/unplugin-ai-assets/ai-assets.d.ts" />')
    expect(read(join(dir, '.astro', 'integrations', 'unplugin-ai-assets', 'ai-assets.d.ts'))).toContain(`declare module '~ai-assets/hero' {`)
    // The CLI writes the same file, not a second copy in the root, which the tsconfig's "**/*" would include.
    await run(fixtureBin(dir, 'ai-assets'), ['types'], dir)
    expect(existsSync(join(dir, 'ai-assets.d.ts'))).toBe(false)
    // src/hero.ts imports real names; src/misspelled.ts does not. A typed Astro config accepts the integration.
    const { files, output } = typeErrors(dir, 'tsconfig.json', {
      'src/misspelled.ts': MISSPELLED,
      'config-check.ts': `import { defineConfig } from 'astro/config'\nimport aiAssets from 'unplugin-ai-assets/astro'\nexport default defineConfig({ integrations: [aiAssets({ concurrency: 2 })] })\n`,
    })
    expect(files, output).toEqual(['src/misspelled.ts'])
  }, 60_000)
})

describe('the newest Astro, on Node 22', () => {
  it('emits the images of astro build, which the HTML and the Picture component point at', async () => {
    const dir = fixture('astro-latest')
    const node = fixtureBin(dir, 'node')
    expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v22\./)
    const build = await astroBuild('astro-latest', node)
    expect(read(join(dir, 'node_modules', 'astro', 'package.json'))).toMatch(/"version": "7\./)
    await expectBuiltPage(build)
  }, 180_000)
})
