/**
 * Types, checked by the real tsc: the ai-assets.d.ts a build writes makes a
 * misspelled asset name an error; `unplugin-ai-assets/client` types any
 * `~ai-assets/*` import (`?url` as a string).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { copyFixture, repoRoot } from '../helpers'
import { buildWith } from './bundlers'

let root: string

beforeAll(async () => {
  root = copyFixture('app')
  // Any bundler writes it (browser.test.ts checks all six); esbuild is the quickest.
  await buildWith('esbuild', { root, entries: { main: 'src/main.js' }, outDir: 'dist', target: 'browser' })
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

function tsc(project: string) {
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', project], { cwd: root, encoding: 'utf8' })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

it('writes a declaration for every configured asset, imported or not', () => {
  const dts = readFileSync(join(root, 'ai-assets.d.ts'), 'utf8')
  for (const name of ['badge', 'hero', 'icons/bolt', 'logo', 'unused']) {
    expect(dts).toContain(`declare module '~ai-assets/${name}' {`)
    expect(dts).toContain(`declare module '~ai-assets/${name}?url' {`)
  }
})

it('type-checks imports with the generated ai-assets.d.ts, and fails on a misspelled name', () => {
  expect(tsc('tsconfig.json')).toEqual({ status: 0, output: '' })

  writeFileSync(join(root, 'src', 'misspelled.ts'), `import hero from '~ai-assets/heor'\nexport const width: number = hero.width\n`)
  const failed = tsc('tsconfig.json')
  rmSync(join(root, 'src', 'misspelled.ts'))
  expect(failed.status).not.toBe(0)
  // The catch-all `~ai-assets/*` of ai-assets.d.ts: its default export is a type, not a value.
  expect(failed.output).toContain(`src/misspelled.ts(2,30): error TS2693: 'hero' only refers to a type, but is being used as a value here.`)
})

it('fails without types for ~ai-assets, and passes with unplugin-ai-assets/client (?url and ?srcset typed string)', () => {
  const config = (types: string[]) => JSON.stringify({ extends: './tsconfig.json', compilerOptions: { types }, include: ['src/**/*.ts'] })
  writeFileSync(join(root, 'tsconfig.none.json'), config([]))
  const none = tsc('tsconfig.none.json')
  expect(none.status).not.toBe(0)
  expect(none.output).toContain(`Cannot find module '~ai-assets/hero'`)

  // As installed in a project: node_modules/unplugin-ai-assets (a link to this package).
  mkdirSync(join(root, 'node_modules'), { recursive: true })
  symlinkSync(repoRoot, join(root, 'node_modules', 'unplugin-ai-assets'), 'dir')
  writeFileSync(join(root, 'tsconfig.client.json'), config(['unplugin-ai-assets/client']))
  writeFileSync(join(root, 'src', 'srcset.ts'), `import srcset from '~ai-assets/hero?srcset'\nexport const first: string = srcset.split(', ')[0]!\n`)
  expect(tsc('tsconfig.client.json')).toEqual({ status: 0, output: '' })
  rmSync(join(root, 'src', 'srcset.ts'))

  // The ambient types are real types, not `any`: a GeneratedImage is no string.
  writeFileSync(join(root, 'src', 'wrong.ts'), `import hero from '~ai-assets/hero'\nexport const src: string = hero\n`)
  const wrong = tsc('tsconfig.client.json')
  expect(wrong.status).not.toBe(0)
  expect(wrong.output).toContain(`src/wrong.ts(2,14): error TS2322: Type 'GeneratedImage' is not assignable to type 'string'`)
})
