/**
 * SvelteKit with `@sveltejs/adapter-static`, the plugin placed after
 * `sveltekit()`: the prerendered page's images land in SvelteKit's immutable
 * assets folder, and the declarations in `src/`, which its tsconfig includes.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bin, clean, expectEmitted, fixture, imageRefs, imageTags, MISSPELLED, read, run, typeErrors } from './frameworks'

const dir = fixture('sveltekit')

describe('SvelteKit', () => {
  it('emits the images under _app/immutable/assets/, which the prerendered HTML points at', async () => {
    clean(dir, ['.svelte-kit', 'build', 'src/ai-assets.d.ts'])
    await run(bin(dir, 'vite'), ['build'], dir)
    const html = read(join(dir, 'build', 'index.html'))
    expect(html).not.toContain('file://')
    expect(imageTags(html)).toMatch(/<img id="logo" src="\/_app\/immutable\/assets\/logo-128\.[0-9a-f]{8}\.png"/)
    // The Svelte Picture component.
    expect(imageTags(html)).toMatch(/<picture\b[^>]*>\s*<source\s[^>]*type="image\/webp"/)
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
    // src/hero.ts imports real names; src/misspelled.ts does not.
    const { files, output } = typeErrors(dir, 'tsconfig.json', { 'src/misspelled.ts': MISSPELLED })
    expect(files, output).toEqual(['src/misspelled.ts'])
  }, 60_000)
})
