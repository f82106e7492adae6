/**
 * SvelteKit with `@sveltejs/adapter-static`, the plugin placed after
 * `sveltekit()`: the prerendered page's images land in SvelteKit's immutable
 * assets folder, and the declarations in `src/`, which its tsconfig includes.
 */
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers'
import { bin, clean, expectEmitted, fixture, imageRefs, imageTags, read, run } from './frameworks'

const dir = fixture('sveltekit')

describe('SvelteKit', () => {
  it('emits the images under _app/immutable/assets/, which the prerendered HTML points at', async () => {
    clean(dir, ['.svelte-kit', 'build', 'src/ai-assets.d.ts', 'node_modules/.cache/ai-assets'])
    await run(bin(dir, 'vite'), ['build'], dir)
    const html = read(join(dir, 'build', 'index.html'))
    expect(html).not.toContain('file://')
    expect(imageTags(html)).toMatch(/<img id="logo" src="\/_app\/immutable\/assets\/logo-128\.[0-9a-f]{8}\.png"/)
    // The Svelte Picture component.
    expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\b[^>]*type="image\/webp"/)
    const files = await expectEmitted(join(dir, 'build'), imageRefs(html))
    for (const file of files)
      expect(file).toMatch(/\/build\/_app\/immutable\/assets\/(?:hero-(?:320|640)|logo-128)\.[0-9a-f]{8}\.\w+$/)
  }, 180_000)

  it('the build wrote the declarations into src/, where svelte-kit\'s tsconfig includes them', () => {
    expect(read(join(dir, 'src', 'ai-assets.d.ts'))).toContain(`declare module '~ai-assets/hero' {`)
  })

  it('type-checks the names without a build (svelte-kit sync, ai-assets types --dts src/ai-assets.d.ts)', async () => {
    clean(dir, ['.svelte-kit', 'src/ai-assets.d.ts'])
    await run(bin(dir, 'svelte-kit'), ['sync'], dir)
    await run(bin(dir, 'ai-assets'), ['types', '--dts', 'src/ai-assets.d.ts'], dir)
    const tsc = () => spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' })
    const passed = tsc()
    expect(passed.status, passed.stdout).toBe(0)

    const misspelled = join(dir, 'src', 'misspelled.ts')
    writeFileSync(misspelled, `import hero from '~ai-assets/heor'\nexport const width: number = hero.width\n`)
    try {
      const failed = tsc()
      expect(failed.status).not.toBe(0)
      // A name the config lacks fails type-checking.
      expect(failed.stdout).toMatch(/misspelled\.ts\(\d+,\d+\): error TS/)
    }
    finally {
      rmSync(misspelled)
    }
  }, 60_000)
})
