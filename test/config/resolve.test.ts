import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadAssetsConfig } from '../../src/config/load'
import { copyFixture } from '../helpers'

/** A reference image is checked by its first bytes: the PNG signature, then anything. */
const pngBytes = (rest: string) => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(rest)])

async function load(config: string) {
  const root = copyFixture('empty')
  writeFileSync(join(root, 'assets.config.mjs'), `export default ${config}`)
  writeFileSync(join(root, 'ref.png'), pngBytes('first bytes'))
  return loadAssetsConfig({ root })
}

const asset = async (config: string, name = 'hero') => (await load(config)).assets.get(name)!

describe('resolving the config', () => {
  it('accepts hex, CSS names, CSS functions and [r, g, b] colors', async () => {
    const hero = await asset(`{ assets: { hero: { prompt: 'x', colors: ['#f80', '#ff6b35', 'rebeccapurple', 'rgb(10 20 30)', 'hsl(0 100% 50%)', 'oklch(70% 0.1 200)', [0, 43, 91]], background: 'white' } } }`)
    expect(hero.generation.colors).toEqual([[255, 136, 0], [255, 107, 53], [102, 51, 153], [10, 20, 30], [255, 0, 0], [64, 177, 183], [0, 43, 91]])
    expect(hero.generation.background).toEqual([255, 255, 255])
  })

  it('applies defaults, then the palette, then the asset', async () => {
    const config = await load(`{
      palettes: { brand: { colors: ['red'], background: 'white' }, night: { colors: ['navy'], background: 'black' } },
      defaults: { palette: 'brand', size: '1536x768', widths: [100], formats: ['png'], alt: 'default alt' },
      assets: {
        plain: { prompt: 'x' },
        night: { prompt: 'x', palette: 'night', size: '1024x1024' },
        own: { prompt: 'x', palette: 'night', colors: ['lime'] },
        inline: { prompt: 'x', palette: { colors: ['blue'] }, background: 'gray', widths: [50, 20, 50], alt: 'mine' },
      },
    }`)
    const get = (name: string) => config.assets.get(name)!
    expect(get('plain').generation).toMatchObject({ colors: [[255, 0, 0]], background: [255, 255, 255], width: 1536, height: 768 })
    expect(get('plain').output).toMatchObject({ widths: [100], formats: ['png'], alt: 'default alt', fit: 'cover', trim: false })
    expect(get('plain').palette).toBe('brand')
    expect(get('night').generation).toMatchObject({ colors: [[0, 0, 128]], background: [0, 0, 0], width: 1024, height: 1024 })
    expect(get('own').generation).toMatchObject({ colors: [[0, 255, 0]], background: [0, 0, 0] })
    expect(get('inline').generation).toMatchObject({ colors: [[0, 0, 255]], background: [128, 128, 128] })
    expect(get('inline').output).toMatchObject({ widths: [20, 50], alt: 'mine' })
  })

  it('defaults to the placeholder provider, the ai-assets store, 1024x1024 and webp', async () => {
    const config = await load(`{ assets: { hero: { prompt: 'x' } } }`)
    expect(config.name).toBe('placeholder')
    expect(config.store).toBe(join(config.file, '..', 'ai-assets'))
    expect(config.assets.get('hero')!.generation).toMatchObject({ width: 1024, height: 1024, variants: 1 })
    expect(config.assets.get('hero')!.output.formats).toEqual(['webp'])
  })

  it.each(['mjs', 'ts'])('reads an edited assets.config.%s anew', async (ext) => {
    const root = copyFixture('empty')
    for (const prompt of ['first', 'second']) {
      writeFileSync(join(root, `assets.config.${ext}`), `export default { assets: { hero: { prompt: '${prompt}' } } }`)
      expect((await loadAssetsConfig({ root })).assets.get('hero')!.generation.prompt).toBe(prompt)
    }
  })

  describe('the generation key', () => {
    const base = `palettes: { brand: { colors: ['red'] }, other: { colors: ['blue'] } }, provider: { name: 'runware' }`
    const key = async (hero: string, top = base) => (await asset(`{ ${top}, assets: { hero: { prompt: 'A cabin', palette: 'brand', ${hero} } } }`)).key

    it('ignores output fields, alt, baseURL and timeouts', async () => {
      const reference = await key('')
      expect(await key(`alt: 'A cabin'`)).toBe(reference)
      expect(await key(`widths: [10, 20], formats: ['avif'], quality: 50, fit: 'contain', aspect: '1:1', trim: true`)).toBe(reference)
      expect(await key('', `${base.replace(`{ name: 'runware' }`, `{ name: 'runware', baseURL: 'http://127.0.0.1:9/v1', timeout: 5, retries: 1 }`)}`)).toBe(reference)
    })

    it('changes with every generation input', async () => {
      const reference = await key('')
      const changed = [
        await key(`prompt: 'A cabin by a lake'`),
        await key(`palette: 'other'`),
        await key(`size: '1536x768'`),
        await key(`background: 'black'`),
        await key(`colors: ['green']`),
        await key(`style: 'digital_illustration'`),
        await key(`substyle: 'pixel_art'`),
        await key(`variants: 2`),
        await key(`providerOptions: { seed: 1 }`),
        await key(`image: './ref.png'`),
        await key('', base.replace(`{ name: 'runware' }`, `{ name: 'runware', model: 'recraft:v4.1-pro@0' }`)).catch(() => 'size not accepted'),
        await key('', base.replace(`{ name: 'runware' }`, `'recraft'`)),
      ]
      for (const other of changed)
        expect(other).not.toBe(reference)
      expect(new Set(changed).size).toBe(changed.length)
    })

    it('changes with the reference image bytes, not its path', async () => {
      const root = copyFixture('empty')
      const write = (image: string, bytes: string) => {
        writeFileSync(join(root, image), pngBytes(bytes))
        writeFileSync(join(root, 'assets.config.mjs'), `export default { assets: { hero: { prompt: 'x', image: './${image}' } } }`)
      }
      write('a.png', 'one')
      const first = (await loadAssetsConfig({ root })).assets.get('hero')!.key
      write('b.png', 'one')
      expect((await loadAssetsConfig({ root })).assets.get('hero')!.key).toBe(first)
      write('b.png', 'two')
      expect((await loadAssetsConfig({ root })).assets.get('hero')!.key).not.toBe(first)
    })
  })
})
