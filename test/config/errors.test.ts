import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AssetsConfigError } from '../../src/config/errors'
import { loadAssetsConfig } from '../../src/config/load'
import { copyFixture } from '../helpers'

/** Writes `assets.config.mjs` with the given default export into a fresh folder and loads it. */
async function loadError(config: string, file = 'assets.config.mjs'): Promise<AssetsConfigError> {
  const root = copyFixture('empty')
  writeFileSync(join(root, file), config)
  const error = await loadAssetsConfig({ root }).then(() => undefined, e => e)
  expect(error, 'the config should be rejected').toBeInstanceOf(AssetsConfigError)
  expect(error.message).toContain(join(root, file))
  // One message, never a stack trace.
  expect(error.stack).not.toMatch(/\n\s+at /)
  return error
}

const withAsset = (asset: string, top = '') => `export default { ${top} assets: { hero: { prompt: 'A cabin', ${asset} } } }`
const withBrand = (asset: string) => withAsset(asset, `palettes: { brand: { colors: ['#ff6b35'] } },`)

const cases: [string, string, RegExp][] = [
  ['an unknown palette', withBrand(`palette: 'brnd'`), /asset "hero", field "palette": no palette named "brnd" \(did you mean "brand"\?\)\. Accepted: "brand", or an inline/],
  ['a bad color name', `export default { palettes: { brand: { colors: ['#ff6b35', 'notacolor'] } }, assets: { hero: { prompt: 'x' } } }`, /palette "brand", field "colors\[1\]": "notacolor" is not a color\. Accepted: an array of colors: "#rgb", "#rrggbb", a CSS color name/],
  ['an rgb channel out of range', withAsset(`background: [300, 0, 0]`), /asset "hero", field "background": \[300,0,0\] is not a color\. Accepted: .*\[r, g, b\] with each a whole number 0–255/],
  ['a malformed size', withAsset(`size: '1024*1024'`), /asset "hero", field "size": "1024\*1024" is not accepted\. Accepted: "WxH" in pixels/],
  ['a size the model does not accept', withAsset(`size: '1000x1000'`, `provider: 'runware',`), /asset "hero", field "size": 1000x1000 is not a size recraft:v4\.1@0 accepts\. Accepted: 1024x1024, 1536x768/],
  ['a 2K size on the 1K model', withAsset(`size: '2048x2048'`, `provider: { name: 'recraft' },`), /asset "hero", field "size": 2048x2048 is not a size recraftv4_1 accepts/],
  ['an empty prompt', `export default { assets: { hero: { prompt: '' } } }`, /asset "hero", field "prompt": "" is too small.*Accepted: a string of 1–10000 characters/],
  ['a prompt over 10000 characters', `export default { assets: { hero: { prompt: 'x'.repeat(10001) } } }`, /asset "hero", field "prompt": "x{10,}… is too large.*Accepted: a string of 1–10000 characters/],
  ['a missing prompt', `export default { assets: { hero: { size: '1024x1024' } } }`, /asset "hero", field "prompt": required\. Accepted/],
  ['a name with ..', `export default { assets: { '../x': { prompt: 'x' } } }`, /asset "\.\.\/x": invalid asset name\. Accepted: lowercase words/],
  ['an upper-case name', `export default { assets: { Hero: { prompt: 'x' } } }`, /asset "Hero": invalid asset name/],
  ['an empty group', `export default { assets: { 'a//b': { prompt: 'x' } } }`, /asset "a\/\/b": invalid asset name/],
  ['an unknown format', withAsset(`formats: ['webp', 'gif']`), /asset "hero", field "formats\[1\]": "gif" is not accepted\. Accepted: a non-empty array of "avif", "webp", "png", "jpeg"/],
  ['a zero width', withAsset(`widths: [0, 480]`), /asset "hero", field "widths\[0\]": 0 is too small.*Accepted: a non-empty array of positive whole numbers/],
  ['a negative width in defaults', `export default { defaults: { widths: [-100] }, assets: { hero: { prompt: 'x' } } }`, /defaults, field "widths\[0\]": -100 is too small/],
  ['too many variants', withAsset(`variants: 7`), /asset "hero", field "variants": 7 is too large.*Accepted: a whole number from 1 to 6/],
  ['zero variants', withAsset(`variants: 0`), /asset "hero", field "variants": 0 is too small/],
  ['a typo in an asset field', withAsset(`alt: 'x', promt: 'y'`), /asset "hero": unknown field "promt" \(did you mean "prompt"\?\)\. Accepted fields: prompt, size/],
  ['a typo at the top level', `export default { asets: {}, assets: { hero: { prompt: 'x' } } }`, /unknown field "asets" \(did you mean "assets"\?\)\. Accepted fields: provider, store, .*palettes, defaults, assets/],
  ['a typo in a palette', `export default { palettes: { brand: { colours: ['red'] } }, assets: { hero: { prompt: 'x' } } }`, /palette "brand": unknown field "colours" \(did you mean "colors"\?\)/],
  ['a missing reference image', withAsset(`image: './refs/missing.png'`), /asset "hero", field "image": cannot read reference image .*refs\/missing\.png \(ENOENT\)/],
  ['an unknown provider', withAsset('', `provider: 'runwar',`), /field "provider": unknown provider "runwar" \(did you mean "runware"\?\)\. Accepted: "cloudflare", "runware", "recraft", "placeholder"/],
  ['a typo in provider settings', withAsset('', `provider: { name: 'runware', modle: 'recraft:v4.1@0' },`), /field "provider": unknown field "modle" \(did you mean "model"\?\)\. Accepted fields: name, model, baseURL, timeout, retries/],
  ['an unknown model', withAsset('', `provider: { name: 'runware', model: 'recraft:v5' },`), /field "provider\.model": "recraft:v5" is not a model of runware.*Accepted: "recraft:v4\.1@0", "recraft:v4\.1-pro@0"/],
  ['an out-of-range quality', withAsset(`quality: 0`), /asset "hero", field "quality": 0 is too small.*Accepted: a whole number from 1 to 100/],
  ['an unknown fit', withAsset(`fit: 'stretch'`), /asset "hero", field "fit": "stretch" is not accepted\. Accepted: "cover", "contain"/],
  ['an avif fallback', withAsset(`fallbackFormat: 'avif'`), /asset "hero", field "fallbackFormat": "avif" is not accepted\. Accepted: "jpeg", "png", "webp" \(the <img> fallback must be a format every browser shows, so not "avif"\)/],
  ['a blank sizes', withAsset(`sizes: '  '`), /asset "hero", field "sizes": .*Accepted: a non-empty string, the HTML sizes attribute/],
  ['a sizes that is not a string', `export default { defaults: { sizes: 100 }, assets: { hero: { prompt: 'x' } } }`, /defaults, field "sizes": 100 is not a string\. Accepted: a non-empty string/],
  ['a malformed aspect', withAsset(`aspect: '16x9'`), /asset "hero", field "aspect": "16x9" is not accepted\. Accepted: "W:H"/],
  ['a trim threshold out of range', withAsset(`trim: 300`), /asset "hero", field "trim": .*Accepted: true, false, or a threshold from 1 to 255/],
  ['assets that is not an object', `export default { assets: 'hero' }`, /field "assets": "hero" is not a record.*Accepted: an object mapping asset names/],
  ['a config file that throws', `throw new Error('boom at load')\nexport default {}`, /the config threw while loading: boom at load/],
  ['a config with no default export', `export const config = { assets: {} }`, /the file has no default export\. Accepted: `export default defineAssets/],
]

describe('an invalid config fails with one message naming the file, the asset and the field', () => {
  it.each(cases)('%s', async (_name, config, expected) => {
    const error = await loadError(config)
    expect(error.message).toMatch(expected)
  })

  it('lists every problem of the file in the one error', async () => {
    const error = await loadError(withAsset(`size: 'big', variants: 9, formats: ['gif']`))
    expect(error.issues).toHaveLength(3)
    expect(error.message).toMatch(/\(3 problems\):\n {2}- asset "hero", field "size"/)
    expect(error.message).toMatch(/- asset "hero", field "variants"/)
    expect(error.message).toMatch(/- asset "hero", field "formats\[0\]"/)
  })

  it('reports a TypeScript config that does not compile, naming it', async () => {
    const error = await loadError(`export default { assets: { hero: { prompt: 'x' } }`, 'assets.config.ts')
    expect(error.message).toMatch(/assets\.config\.ts: the config threw while loading/)
  })

  it('says where it looked when there is no config', async () => {
    const root = copyFixture('empty')
    mkdirSync(join(root, 'sub'))
    const error = await loadAssetsConfig({ root: join(root, 'sub') }).catch(e => e)
    expect(error).toBeInstanceOf(AssetsConfigError)
    expect(error.message).toMatch(/no assets config found in .*sub\. Accepted: one of assets\.config\.ts, assets\.config\.mts, assets\.config\.js, assets\.config\.mjs/)
  })

  it('names a missing explicit config path', async () => {
    const root = copyFixture('empty')
    const error = await loadAssetsConfig({ root, config: 'config/assets.ts' }).catch(e => e)
    expect(error.message).toMatch(/config\/assets\.ts: file not found/)
  })
})

/** `providerOptions` that would override a field the plugin owns: what is sent, and paid, must be what the config says. */
const ownedOptions: [string, string, RegExp][] = [
  ['numberResults on runware (it would bill 12 images)', withAsset(`variants: 1, providerOptions: { numberResults: 12 }`, `provider: 'runware',`), /asset "hero", field "providerOptions\.numberResults": "numberResults" is sent by the plugin to runware and cannot be overridden in providerOptions: what is sent, and paid for, must be what the config says and the estimate counts\. Accepted: the asset's `variants`$/],
  ['n on recraft', withAsset(`providerOptions: { n: 6 }`, `provider: 'recraft',`), /asset "hero", field "providerOptions\.n": "n" is sent by the plugin to recraft .*Accepted: the asset's `variants`$/],
  ['n on cloudflare', withAsset(`providerOptions: { n: 2 }`, `provider: 'cloudflare',`), /asset "hero", field "providerOptions\.n": .*Accepted: the asset's `variants`$/],
  ['model on recraft', withAsset(`providerOptions: { model: 'recraftv4_1_pro' }`, `provider: 'recraft',`), /asset "hero", field "providerOptions\.model": .*Accepted: the provider's `model` setting$/],
  ['model on runware', withAsset(`providerOptions: { model: 'recraft:v4.1-pro@0' }`, `provider: 'runware',`), /field "providerOptions\.model": .*Accepted: the provider's `model` setting$/],
  ['size on cloudflare', withAsset(`providerOptions: { size: '2048x2048' }`, `provider: 'cloudflare',`), /asset "hero", field "providerOptions\.size": .*Accepted: the asset's `size`$/],
  ['width on runware', withAsset(`providerOptions: { width: 2048 }`, `provider: 'runware',`), /asset "hero", field "providerOptions\.width": .*Accepted: the asset's `size`$/],
  ['prompt on cloudflare', withAsset(`providerOptions: { prompt: 'another' }`, `provider: 'cloudflare',`), /asset "hero", field "providerOptions\.prompt": .*Accepted: the asset's `prompt`$/],
  ['positivePrompt on runware', withAsset(`providerOptions: { positivePrompt: 'another' }`, `provider: 'runware',`), /field "providerOptions\.positivePrompt": .*Accepted: the asset's `prompt`$/],
  ['taskUUID on runware, in defaults', `export default { provider: 'runware', defaults: { providerOptions: { taskUUID: 'x' } }, assets: { hero: { prompt: 'x' } } }`, /defaults, field "providerOptions\.taskUUID": "taskUUID" is sent by the plugin to runware/],
  ['taskType on runware', withAsset(`providerOptions: { taskType: 'imageUpscale' }`, `provider: 'runware',`), /field "providerOptions\.taskType": /],
  ['outputType on runware', withAsset(`providerOptions: { outputType: 'base64Data' }`, `provider: 'runware',`), /field "providerOptions\.outputType": .*Accepted: the provider's `outputType` setting$/],
  ['outputFormat on runware', withAsset(`providerOptions: { outputFormat: 'JPG' }`, `provider: 'runware',`), /field "providerOptions\.outputFormat": .*Accepted: the provider's `outputFormat` setting$/],
  ['deliveryMethod on runware', withAsset(`providerOptions: { deliveryMethod: 'async' }`, `provider: 'runware',`), /field "providerOptions\.deliveryMethod": .*Accepted: the provider's `delivery` setting$/],
  ['response_format on recraft', withAsset(`providerOptions: { response_format: 'url' }`, `provider: 'recraft',`), /field "providerOptions\.response_format": .*Accepted: the provider's `responseFormat` setting$/],
]

describe('providerOptions cannot override a field the plugin owns, checked when the config loads', () => {
  it.each(ownedOptions)('%s', async (_name, config, expected) => {
    const error = await loadError(config)
    expect(error.message).toMatch(expected)
  })

  it('accepts fields the plugin does not send, and owned names on a provider that does not own them', async () => {
    for (const config of [
      withAsset(`providerOptions: { ttl: 3600, settings: { quality: 'high' } }`, `provider: 'runware',`),
      withAsset(`providerOptions: { text_layout: [] }`, `provider: 'recraft',`),
      withAsset(`providerOptions: { seed: 42 }`, `provider: 'cloudflare',`),
      withAsset(`providerOptions: { numberResults: 3 }`),
    ]) {
      const root = copyFixture('empty')
      writeFileSync(join(root, 'assets.config.mjs'), config)
      await expect(loadAssetsConfig({ root })).resolves.toBeDefined()
    }
  })
})
