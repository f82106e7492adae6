/**
 * The plugin's module code and `ai-assets build`'s manifest come from one
 * builder: evaluating the module code gives exactly what `generatedImage`
 * returns for the same URLs, whatever the alt text and sizes hold.
 */
import type { AssetImage } from '../../src/core/pipeline'
import type { OutputFile } from '../../src/output/emitted-files'
import { describe, expect, it } from 'vitest'
import { outputFiles } from '../../src/output/emitted-files'
import { generatedImage } from '../../src/output/generated-image'
import { moduleCode } from '../../src/plugin/module-code'

function assetImage(alt: string, sizes: string): AssetImage {
  const derivative = (format: 'webp' | 'avif' | 'jpeg', width: number) => ({ format, width, height: width / 2, data: Buffer.from(`${format}-${width}`) })
  return {
    asset: { name: 'icons/hero', output: { widths: [320, 640], formats: ['avif', 'webp'], sizes, fit: 'cover', trim: false, alt } },
    derived: {
      derivatives: [derivative('avif', 320), derivative('avif', 640), derivative('webp', 320), derivative('webp', 640), derivative('jpeg', 320), derivative('jpeg', 640)],
      fallback: 'jpeg',
      placeholder: 'data:image/webp;base64,AAAA',
      color: '#112233',
      transparent: false,
    },
  } as unknown as AssetImage
}

/** The module's default export, loading its code as Node loads any ES module. */
async function evaluate(code: string): Promise<unknown> {
  return (await import(`data:text/javascript,${encodeURIComponent(code)}`)).default
}

const url = (file: OutputFile) => `/assets/${file.fileName}`
const TEXTS = [
  ['plain text', 'A cabin', '100vw'],
  ['quotes and a concatenation', 'He said "hi" + "there"', '(min-width: 960px) 960px, 100vw'],
  ['what the URL marks are made of', '\u0000 \\u0000 0\u00000 " + u0 + "', '\\'],
]

describe.each(TEXTS)('with %s in alt and sizes', (_, alt, sizes) => {
  const image = assetImage(alt!, sizes!)
  const files = outputFiles(image, 'assets-dir')

  it('the module exports the GeneratedImage the manifest gets', async () => {
    const code = moduleCode(image, files, '', file => JSON.stringify(url(file)))
    expect(await evaluate(code)).toEqual(generatedImage(image, files, url))
    expect(await evaluate(code)).toMatchObject({ alt, sizes, format: 'jpeg', width: 640, src: url(files[5]!) })
  })

  it('?srcset exports the fallback\'s srcset, naming only its files', async () => {
    const code = moduleCode(image, files, 'srcset', file => JSON.stringify(url(file)))
    expect(await evaluate(code)).toBe(generatedImage(image, files, url).srcset)
    expect(code).not.toContain('.webp')
  })
})
