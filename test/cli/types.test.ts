/**
 * `ai-assets types` writes ai-assets.d.ts without a build, so that `tsc`
 * passes on a fresh project before its first `vite build`, and `generate`
 * keeps it current. Checked by the real tsc, with Vite's `vite/client` types
 * in the program: its `*?url` must not type a misspelled `~ai-assets/…?url`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyFixture, edit, repoRoot } from '../helpers'
import { cli } from './cli'

function tsc(root: string, project = 'tsconfig.json') {
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', project], { cwd: root, encoding: 'utf8' })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

/** The fixture's tsconfig with Vite's client types, as a create-vite project has them. */
function withViteClient(root: string): string {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'))
  config.compilerOptions.types = ['vite/client']
  writeFileSync(join(root, 'tsconfig.vite.json'), JSON.stringify(config))
  return 'tsconfig.vite.json'
}

describe('ai-assets types', () => {
  it('writes the declarations without a build: tsc passes, and fails on a misspelled name with or without ?url', async () => {
    const root = copyFixture('app')
    expect(tsc(root).status).not.toBe(0)

    const { code, stdout, stderr } = await cli(root, ['types'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toBe('Wrote ai-assets.d.ts (5 assets)\n')
    expect(existsSync(join(root, 'ai-assets'))).toBe(false)
    const dts = readFileSync(join(root, 'ai-assets.d.ts'), 'utf8')
    expect(dts).toContain(`declare module '~ai-assets/hero?srcset' {\n  const srcset: string`)

    const project = withViteClient(root)
    writeFileSync(join(root, 'src', 'queries.ts'), `import srcset from '~ai-assets/hero?srcset'\nimport url from '~ai-assets/logo?url'\nexport const both: string = srcset + url\n`)
    expect(tsc(root, project)).toEqual({ status: 0, output: '' })

    const misspelled = ['~ai-assets/lgo?url', '~ai-assets/heor', '~ai-assets/hero?w=300', '~ai-assets/hero?srcet']
    writeFileSync(join(root, 'src', 'misspelled.ts'), misspelled.map((id, line) => `import v${line} from '${id}'\nexport const u${line}: string = String(v${line})\n`).join(''))
    const failed = tsc(root, project)
    expect(failed.status).not.toBe(0)
    // One error per import, at its use as a value: the catch-all's default export is a type.
    for (const line of misspelled.keys())
      expect(failed.output).toMatch(new RegExp(`src/misspelled\\.ts\\(${2 * line + 2},\\d+\\): error TS2693: 'v${line}' only refers to a type, but is being used as a value here\\.`))
  })

  it('honours --dts (relative to the config) and says when nothing changed', async () => {
    const root = copyFixture('app')
    const first = await cli(root, ['types', '--dts', 'src/types/ai-assets.d.ts'])
    expect(first.code).toBe(0)
    expect(first.stdout).toBe('Wrote src/types/ai-assets.d.ts (5 assets)\n')
    expect(readFileSync(join(root, 'src/types/ai-assets.d.ts'), 'utf8')).toContain(`declare module '~ai-assets/icons/bolt' {`)
    expect(existsSync(join(root, 'ai-assets.d.ts'))).toBe(false)
    const again = await cli(root, ['types', '--dts', 'src/types/ai-assets.d.ts'])
    expect(again.stdout).toBe('Up to date: src/types/ai-assets.d.ts (5 assets)\n')

    const bad = await cli(root, ['types', '--dts'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('option `--dts <path>` value is missing')
  })

  it('generate keeps it current when a tsconfig.json is next to the config', async () => {
    const root = copyFixture('app')
    await cli(root, ['types'])
    edit(join(root, 'assets.config.ts'), text => text.replace(`'hero': {`, `'banner': { prompt: 'A banner', size: '64x64', widths: [32] },\n    'hero': {`))
    const { code, stdout } = await cli(root, ['generate', 'banner'])
    expect(code).toBe(0)
    expect(stdout).toContain('Wrote ai-assets.d.ts (6 assets)')
    expect(readFileSync(join(root, 'ai-assets.d.ts'), 'utf8')).toContain(`declare module '~ai-assets/banner' {`)
  })

  describe('in an Astro or Nuxt project, where the integration declares the assets in the framework\'s types', () => {
    const projects = [
      { framework: 'Astro', file: 'astro.config.mjs', text: `import { defineConfig } from 'astro/config'\nimport aiAssets from 'unplugin-ai-assets/astro'\nexport default defineConfig({ integrations: [aiAssets()] })\n`, dts: '.astro/integrations/unplugin-ai-assets/ai-assets.d.ts' },
      { framework: 'Nuxt', file: 'nuxt.config.ts', text: `export default defineNuxtConfig({ modules: ['unplugin-ai-assets/nuxt'] })\n`, dts: '.nuxt/types/ai-assets.d.ts' },
    ]
    it.each(projects)('$framework: generate and types write $dts, and remove the root copy an earlier version wrote', async ({ framework, file, text, dts }) => {
      const root = copyFixture('app')
      // What `types` wrote before the project had the integration, or before this version: a second copy fails tsc.
      expect((await cli(root, ['types'])).stdout).toBe('Wrote ai-assets.d.ts (5 assets)\n')
      writeFileSync(join(root, file), text)

      const { code, stdout } = await cli(root, ['types'])
      expect(code).toBe(0)
      expect(stdout).toBe(`Wrote ${dts} (5 assets)\nRemoved ai-assets.d.ts: ${framework}'s generated types declare the assets, and a second copy makes tsc fail with "Duplicate identifier"\n`)
      expect(readFileSync(join(root, dts), 'utf8')).toContain(`declare module '~ai-assets/hero' {`)
      expect(existsSync(join(root, 'ai-assets.d.ts'))).toBe(false)

      edit(join(root, 'assets.config.ts'), text => text.replace(`'hero': {`, `'banner': { prompt: 'A banner', size: '64x64', widths: [32] },\n    'hero': {`))
      const generated = await cli(root, ['generate', 'banner'])
      expect(generated.code, generated.stderr).toBe(0)
      expect(generated.stdout).toContain(`Wrote ${dts} (6 assets)`)
      expect(existsSync(join(root, 'ai-assets.d.ts'))).toBe(false)
    })

    it('leaves a root ai-assets.d.ts it did not write, and writes the root one for the plain Vite plugin in astro.config', async () => {
      const root = copyFixture('app')
      writeFileSync(join(root, 'astro.config.mjs'), `import aiAssets from 'unplugin-ai-assets/astro'\nexport default { integrations: [aiAssets()] }\n`)
      writeFileSync(join(root, 'ai-assets.d.ts'), `declare module 'my-own' {}\n`)
      expect((await cli(root, ['types'])).stdout).toBe('Wrote .astro/integrations/unplugin-ai-assets/ai-assets.d.ts (5 assets)\n')
      expect(readFileSync(join(root, 'ai-assets.d.ts'), 'utf8')).toBe(`declare module 'my-own' {}\n`)

      const plain = copyFixture('app')
      writeFileSync(join(plain, 'astro.config.mjs'), `import AiAssets from 'unplugin-ai-assets/vite'\nexport default { vite: { plugins: [AiAssets()] } }\n`)
      expect((await cli(plain, ['types'])).stdout).toBe('Wrote ai-assets.d.ts (5 assets)\n')
    })
  })
})
