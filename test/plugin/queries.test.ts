/**
 * Import queries: `?url` and `?srcset` give one string each and emit only the
 * files they name; any other query fails the build naming the import, the
 * query and what is accepted, instead of silently giving the whole object.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { copyFixture, decode, listFiles, viteBuild } from '../helpers'

let root: string

beforeAll(() => {
  root = copyFixture('counting')
})

function entry(name: string, code: string): string {
  writeFileSync(join(root, 'src', `${name}.js`), code)
  return `src/${name}.js`
}

describe('import queries', () => {
  it('?srcset gives the srcset string of the object and emits only its files', async () => {
    const ssr = entry('srcset', `import hero from '~ai-assets/hero'\nimport srcset from '~ai-assets/hero?srcset'\nexport { hero, srcset }\n`)
    const both = await viteBuild(root, {}, { build: { ssr, outDir: 'dist-both' } })
    const { hero, srcset } = await import(join(both, 'srcset.js'))
    expect(typeof srcset).toBe('string')
    expect(srcset).toBe(hero.srcset)
    // The fallback's format: JPEG, for an opaque image asked in webp and avif.
    expect(srcset).toMatch(/^\/assets\/hero-300\.[0-9a-f]{8}\.jpg 300w, \/assets\/hero-600\.[0-9a-f]{8}\.jpg 600w$/)

    const alone = entry('srcset-alone', `import srcset from '~ai-assets/hero?srcset'\nexport { srcset }\n`)
    const dist = await viteBuild(root, {}, { build: { ssr: alone, outDir: 'dist-srcset', ssrEmitAssets: true } })
    const images = listFiles(dist).filter(file => file.startsWith('assets/'))
    // The fallback's widths, and no webp or avif: the srcset names only those.
    expect(images).toEqual([expect.stringMatching(/^assets\/hero-300\.[0-9a-f]{8}\.jpg$/), expect.stringMatching(/^assets\/hero-600\.[0-9a-f]{8}\.jpg$/)])
    for (const [index, width] of [300, 600].entries())
      expect(await decode(join(dist, images[index]!))).toMatchObject({ width, format: 'jpeg' })
  })

  it.each([
    ['~ai-assets/hero?w=300', 'unknown query "?w=300"'],
    ['~ai-assets/hero?foo', 'unknown query "?foo"'],
    ['~ai-assets/logo?url&x', 'unknown query "?url&x"'],
  ])('fails on %s, naming the import, the query and what is accepted', async (id, why) => {
    const file = entry('bad', `import value from '${id}'\nexport { value }\n`)
    const error = await viteBuild(root, {}, { build: { ssr: file, outDir: 'dist-bad' } }).catch(e => e as Error)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toContain(`Import "${id}" in ${join(root, 'src', 'bad.js')}: ${why}`)
    expect(message).toContain('accepted: ~ai-assets/<name> (the GeneratedImage), ~ai-assets/<name>?url (its src), ~ai-assets/<name>?srcset (its srcset)')
    expect(existsSync(join(root, 'dist-bad', 'bad.js'))).toBe(false)
  })

  it('fails on ?raw of a raster asset, saying that ?raw is for SVG assets', async () => {
    const file = entry('raw', `import value from '~ai-assets/logo?raw'\nexport { value }\n`)
    const error = await viteBuild(root, {}, { build: { ssr: file, outDir: 'dist-raw' } }).catch(e => e as Error)
    expect((error as Error).message).toContain('"~ai-assets/logo?raw" gives the markup of an SVG asset, and "logo" is not one. Accepted: ?raw on an asset with vector: true or vectorize: true')
  })
})
