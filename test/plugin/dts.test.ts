import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyFixture, edit, viteBuild } from '../helpers'

describe('ai-assets.d.ts', () => {
  it('declares every asset when a tsconfig.json is found, and is rewritten only when it changes', async () => {
    const root = copyFixture('counting')
    writeFileSync(join(root, 'tsconfig.json'), '{}')
    await viteBuild(root)
    const file = join(root, 'ai-assets.d.ts')
    const dts = readFileSync(file, 'utf8')
    for (const name of ['hero', 'logo', 'card']) {
      expect(dts).toContain(`declare module '~ai-assets/${name}' {\n  const image: import('unplugin-ai-assets').GeneratedImage`)
      expect(dts).toContain(`declare module '~ai-assets/${name}?url' {\n  const src: string`)
      expect(dts).toContain(`declare module '~ai-assets/${name}?srcset' {\n  const srcset: string`)
    }
    // Anything else is a type, so that importing it as a value fails (test/cli/types.test.ts runs tsc).
    expect(dts).toContain(`declare module '~ai-assets/*' {`)
    expect(dts).toMatch(/type NotAnAssetOfTheConfig = never\n {2}export default NotAnAssetOfTheConfig/)
    const written = statSync(file).mtimeMs
    await new Promise(resolve => setTimeout(resolve, 20))
    await viteBuild(root)
    expect(statSync(file).mtimeMs).toBe(written)

    edit(join(root, 'assets.config.ts'), text => text.replace(`card: {`, `'icons/bolt': { prompt: 'A bolt' },\n    card: {`))
    await viteBuild(root)
    expect(readFileSync(file, 'utf8')).toContain(`declare module '~ai-assets/icons/bolt'`)
  })

  it('is not written without a tsconfig.json, or with dts: false', async () => {
    const root = copyFixture('counting')
    await viteBuild(root)
    expect(existsSync(join(root, 'ai-assets.d.ts'))).toBe(false)
    writeFileSync(join(root, 'tsconfig.json'), '{}')
    await viteBuild(root, { dts: false })
    expect(existsSync(join(root, 'ai-assets.d.ts'))).toBe(false)
    await viteBuild(root, { dts: 'types/assets.d.ts' })
    expect(readFileSync(join(root, 'types/assets.d.ts'), 'utf8')).toContain(`declare module '~ai-assets/hero'`)
  })
})
