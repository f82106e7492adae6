/**
 * A project as `npm create vite@9.3.0 -- --template react-ts` scaffolds it
 * (fixtures/frameworks/create-vite-react-ts; the changes: the plugin in
 * vite.config.ts, `ai-assets.d.ts` in tsconfig.app.json's include, two imports
 * in src/App.tsx, assets.config.ts). Its `npm run build` is `tsc -b && vite build`:
 * type-checked before any Vite build has written the declarations.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readText } from '../helpers'
import { bin, clean, expectEmitted, fixture, read, run } from './frameworks'

const dir = fixture('create-vite-react-ts')
// Outputs, generated types and tsc's build info (so that `tsc -b` checks everything); the caches stay warm.
const OUTPUTS = ['dist', 'ai-assets.d.ts', 'node_modules/.tmp']

const build = () => run('npm', ['run', 'build'], dir)

describe('create-vite react-ts', () => {
  it('passes a fresh `npm run build` after `npx ai-assets types`, and emits the images', async () => {
    clean(dir, OUTPUTS)
    await run(bin(dir, 'ai-assets'), ['types'], dir)
    expect(read(join(dir, 'ai-assets.d.ts'))).toContain(`declare module '~ai-assets/hero' {`)
    await build()
    // A client-rendered app: the image URLs are in its JS.
    const code = readText(join(dir, 'dist'), file => file.endsWith('.js'))
    const urls = new Set(code.match(/\/assets\/(?:hero|logo)-\d+\.[0-9a-f]{8}\.\w+/g))
    const refs = [...urls].map(url => ({ url }))
    expect(refs.map(ref => ref.url.replace(/\.[0-9a-f]{8}\./, '.'))).toEqual(expect.arrayContaining(['/assets/hero-320.webp', '/assets/hero-640.webp', '/assets/logo-128.png']))
    await expectEmitted(join(dir, 'dist'), refs)
  }, 180_000)

  it.each([
    ['an import', `import hero from '~ai-assets/heor'\nexport const width: number = hero.width\n`],
    ['a ?url import', `import logo from '~ai-assets/lgo?url'\nexport const src: string = logo\n`],
  ])('fails `npm run build` on %s of a misspelled name', async (_, source) => {
    const misspelled = join(dir, 'src', 'misspelled.ts')
    writeFileSync(misspelled, source)
    try {
      const failure = await build().then(() => '', (error: Error) => error.message)
      // A name the config lacks fails type-checking.
      expect(failure).toMatch(/src\/misspelled\.ts\(\d+,\d+\): error TS/)
    }
    finally {
      rmSync(misspelled)
    }
  }, 120_000)
})
