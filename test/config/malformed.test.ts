/**
 * Malformed configs (issue 9) are refused when the config loads, each with one
 * message naming the file, the asset and the field, and before anything is
 * paid: every case runs `generateAssets` against the Runware fake and checks
 * that the fake saw no request at all.
 */
import type { FakeServer } from '../fakes/server'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AssetsConfigError } from '../../src/config/errors'
import { MAX_NAME_SEGMENT_BYTES } from '../../src/config/names'
import { generateAssets } from '../../src/core/generate'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture, viteBuild } from '../helpers'

const KEY = 'rw-key-malformed-5d2e'
const env = { RUNWARE_API_KEY: KEY }
function quiet() {}

let fake: FakeServer
let png: Buffer
beforeAll(async () => {
  fake = await startRunwareFake(KEY)
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#1478c8' } }).png().toBuffer()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const runware = () => `{ name: 'runware', baseURL: '${fake.url}/v1', retries: 0 }`

/** A scratch project whose config is `export default <config>`, with `files` written around it. */
function project(config: string, files: (root: string) => void = () => {}): string {
  const root = copyFixture('empty')
  writeFileSync(join(root, 'assets.config.mjs'), `export default ${config}`)
  files(root)
  return root
}

/** Runs a generation that must be refused: one AssetsConfigError, no request made, nothing stored. */
async function refused(root: string): Promise<AssetsConfigError> {
  const events: unknown[] = []
  const error = await generateAssets({ root, env, warn: quiet, onProgress: event => events.push(event) }).then(() => undefined, e => e)
  expect(error, 'the config should be refused').toBeInstanceOf(AssetsConfigError)
  expect(error.message).toContain(join(root, 'assets.config.mjs'))
  expect(error.stack).not.toMatch(/\n\s+at /)
  expect(fake.requests, 'nothing may be requested from the provider').toEqual([])
  expect(events).toEqual([])
  expect(existsSync(join(root, 'ai-assets'))).toBe(false)
  return error
}

/** The one problem of a config that has one asset, `hero`, with `fields`. */
async function oneProblem(fields: string, files?: (root: string) => void, top = ''): Promise<string> {
  const error = await refused(project(`{ provider: ${runware()}, ${top} assets: { hero: { prompt: 'A cabin', ${fields} } } }`, files))
  expect(error.issues, error.message).toHaveLength(1)
  return error.message
}

describe('reference images stay inside the project and are images', () => {
  it('refuses an absolute path outside the project, such as /etc/hostname', async () => {
    expect(await oneProblem(`image: '/etc/hostname'`)).toMatch(/asset "hero", field "image": reference image \/etc\/hostname is outside the project: only files inside .* are read\. Accepted: a path to a PNG, JPEG or WebP file, relative to the config file, inside its folder or a folder of `allowImagesFrom`; add its folder to `allowImagesFrom`/)
  })

  it('refuses a relative path that climbs out of the project', async () => {
    const message = await oneProblem(`image: '../outside.png'`, root => writeFileSync(join(root, '..', 'outside.png'), png))
    expect(message).toMatch(/field "image": reference image .*\/outside\.png is outside the project/)
  })

  it('refuses a symlink inside the project that leads outside it', async () => {
    const message = await oneProblem(`image: './ref.png'`, root => symlinkSync('/etc/hostname', join(root, 'ref.png')))
    expect(message).toMatch(/field "image": reference image .*\/ref\.png \(a link to \/etc\/hostname\) is outside the project/)
  })

  it('refuses a folder', async () => {
    const message = await oneProblem(`image: './refs'`, root => mkdirSync(join(root, 'refs')))
    expect(message).toMatch(/field "image": reference image .*\/refs is not a file\. Accepted: a path to a PNG, JPEG or WebP file/)
  })

  it('refuses a missing file', async () => {
    expect(await oneProblem(`image: './missing.png'`)).toMatch(/field "image": cannot read reference image .*\/missing\.png \(ENOENT\)\. Accepted: a path to a PNG, JPEG or WebP file/)
  })

  it('refuses a file that is not an image, without quoting its bytes', async () => {
    const message = await oneProblem(`image: './notes.png'`, root => writeFileSync(join(root, 'notes.png'), 'SECRET=do-not-print\n'))
    expect(message).toMatch(/field "image": reference image .*\/notes\.png is not a PNG, JPEG or WebP image, judged by its first bytes/)
    expect(message).not.toContain('SECRET')
  })

  it('reports a bad reference image in defaults once, not once per asset', async () => {
    const error = await refused(project(`{ provider: ${runware()}, defaults: { image: '/etc/hostname' }, assets: { a: { prompt: 'x' }, b: { prompt: 'y' } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/defaults, field "image": reference image \/etc\/hostname is outside the project/)
  })
})

describe('aspect ratios have positive parts within 1:16 and 16:1', () => {
  const cases: [string, RegExp][] = [
    ['0:1', /"0:1" has a part that is not positive\. Accepted: "W:H" with W and H positive numbers, from 1:16 to 16:1/],
    ['1:0', /"1:0" has a part that is not positive/],
    ['0.0:2', /"0\.0:2" has a part that is not positive/],
    ['-1:2', /"-1:2" is not accepted\. Accepted: "W:H" with W and H positive numbers/],
    ['a:b', /"a:b" is not accepted\. Accepted: "W:H"/],
    ['1:100000', /"1:100000" is taller than 1:16\. Accepted: "W:H" with W and H positive numbers, from 1:16 to 16:1/],
    ['100000:1', /"100000:1" is wider than 16:1/],
  ]
  it.each(cases)('refuses %s', async (aspect, expected) => {
    const message = await oneProblem(`aspect: '${aspect}'`)
    expect(message).toMatch(/asset "hero", field "aspect": /)
    expect(message).toMatch(expected)
  })

  it('refuses a width that would give a derivative less than a pixel high', async () => {
    expect(await oneProblem(`aspect: '16:1', widths: [4, 640]`)).toMatch(/asset "hero", field "widths": 4 at aspect 16:1 gives a derivative less than 1 pixel high\. Accepted: widths of at least 8 with this aspect/)
  })
})

describe('asset names fit in a file name', () => {
  it(`refuses a name whose part is longer than ${MAX_NAME_SEGMENT_BYTES} bytes, such as 300 characters`, async () => {
    const long = MAX_NAME_SEGMENT_BYTES + 1
    for (const [name, longest] of [['a'.repeat(300), 300], [`icons/${'b'.repeat(long)}`, long], [`${'c'.repeat(long)}/bolt`, long]] as const) {
      fake.reset()
      const error = await refused(project(`{ provider: ${runware()}, assets: { '${name}': { prompt: 'x' } } }`))
      expect(error.issues).toHaveLength(1)
      expect(error.message).toContain(`asset "${name}": the name has a part of ${longest} bytes, too long for a file name once the project adds its hash and extension. Accepted: lowercase words`)
      expect(error.message).toContain('each "/"-separated part at most 219 bytes')
    }
  })

  const neighbours = ['a//b', '../x', 'a/../b', 'Hero', 'icons/', '/icons', 'hero-', 'hero.png', 'héro', '']
  it.each(neighbours)('refuses %j', async (name) => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { ${JSON.stringify(name)}: { prompt: 'x' } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toContain(`asset ${JSON.stringify(name)}: invalid asset name. Accepted: lowercase words of a–z and 0–9`)
  })
})

describe('names every object already has are refused, not dropped', () => {
  it('refuses `__proto__:` in an object literal, which would set the prototype', async () => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { __proto__: { prompt: 'x' }, hero: { prompt: 'y' } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/asset "__proto__": `__proto__: …` in an object literal sets the object's prototype instead of adding an asset, so the asset would be lost\. Accepted: any other name; rename it, e\.g\. to "proto-asset"/)
  })

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'])('refuses an asset named %s as an own key', async (name) => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { [${JSON.stringify(name)}]: { prompt: 'x' }, hero: { prompt: 'y' } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toContain(`asset "${name}": "${name}" is a name every JavaScript object already has, so the asset would be lost or mistaken for another value. Accepted: any other name; rename it, e.g. to "`)
  })

  it('suggests a name that is accepted', async () => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { hasOwnProperty: { prompt: 'x' } } }`))
    expect(error.message).toContain('rename it, e.g. to "has-own-property-asset"')
  })

  it('refuses the same in a config read from JSON', async () => {
    const root = project(`JSON.parse(${JSON.stringify(`{ "provider": { "name": "runware", "baseURL": "${fake.url}/v1" }, "assets": { "__proto__": { "prompt": "x" }, "hero": { "prompt": "y" } } }`)})`)
    const error = await refused(root)
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/asset "__proto__": "__proto__" is a name every JavaScript object already has/)
  })

  it('refuses palettes so named, and a reference to one that is not defined', async () => {
    const error = await refused(project(`{ provider: ${runware()}, palettes: { constructor: { colors: ['red'] }, __proto__: { colors: ['blue'] } }, assets: { hero: { prompt: 'y', palette: 'toString' } } }`))
    expect(error.issues).toHaveLength(3)
    expect(error.message).toMatch(/palette "__proto__": `__proto__: …` in an object literal .* rename it, e\.g\. to "proto-palette"/)
    expect(error.message).toMatch(/palette "constructor": "constructor" is a name every JavaScript object already has.*"constructor-palette"/)
    expect(error.message).toMatch(/asset "hero", field "palette": no palette named "toString"/)
  })

  it('refuses such keys in providerOptions, at any depth', async () => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { hero: { prompt: 'y', providerOptions: { settings: { ['__proto__']: { polluted: true } } } } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/asset "hero", field "providerOptions\.settings\.__proto__": "__proto__" is a name every JavaScript object already has, and no field of a provider's API\. Accepted: the fields the provider's API documents; remove it/)
  })

  it('refuses `__proto__:` among the fields of an asset', async () => {
    const error = await refused(project(`{ provider: ${runware()}, assets: { hero: { __proto__: { prompt: 'inherited' }, prompt: 'y' } } }`))
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/asset "hero": unknown field "__proto__"/)
  })
})

describe('every size has a maximum, checked at load', () => {
  /** A placeholder run: no server to count, so no event, no store and no lockfile prove that nothing ran. */
  const placeholder = async (size: string, where = 'asset') => {
    const config = where === 'defaults'
      ? `{ defaults: { size: '${size}' }, assets: { a: { prompt: 'x' }, b: { prompt: 'y' } } }`
      : `{ assets: { hero: { prompt: 'x', size: '${size}' } } }`
    const error = await refused(project(config))
    expect(error.issues).toHaveLength(1)
    return error.message
  }

  it.each(['20000x20000', '100000x100000', '4097x1024', '1x4097'])('the placeholder refuses %s', async (size) => {
    expect(await placeholder(size)).toMatch(new RegExp(`asset "hero", field "size": ${size} is larger than the placeholder provider makes\\. Accepted: "WxH" with each side from 1 to 4096`))
  })

  it('a size in defaults is reported once', async () => {
    expect(await placeholder('20000x20000', 'defaults')).toMatch(/defaults, field "size": 20000x20000 is larger than the placeholder provider makes/)
  })

  it('a custom provider without a size table is bounded by what sharp decodes', async () => {
    const calls: unknown[] = ((globalThis as any).__malformedCalls = [])
    const root = project(`{ provider: { name: 'mine', generate: async (request) => { globalThis.__malformedCalls.push(request); return { images: [] } } }, assets: { hero: { prompt: 'x', size: '16384x100' } } }`)
    const error = await refused(root)
    expect(error.issues).toHaveLength(1)
    expect(error.message).toMatch(/asset "hero", field "size": 16384x100 is larger than sharp decodes by default, so its derivatives could not be made\. Accepted: "WxH" with each side from 1 to 16383/)
    expect(calls).toEqual([])
  })

  it('the network providers keep their own tables', async () => {
    expect(await oneProblem(`size: '20000x20000'`)).toMatch(/asset "hero", field "size": 20000x20000 is not a size recraft:v4\.1@0 accepts\. Accepted: 1024x1024/)
  })
})

it('lists every problem of a config at once, still before any request', async () => {
  const error = await refused(project(`{ provider: ${runware()}, assets: {
    ${JSON.stringify('x'.repeat(300))}: { prompt: 'a' },
    ['__proto__']: { prompt: 'b' },
    hero: { prompt: 'c', image: '/etc/hostname', aspect: '0:1', size: '100000x100000' },
  } }`))
  expect(error.issues).toHaveLength(5)
  expect(error.message).toMatch(/\(5 problems\)/)
})

it('a real vite build stops on the same message before any request', async () => {
  const root = project(`{ provider: ${runware()}, assets: { hero: { prompt: 'x', image: '/etc/hostname' } } }`, (root) => {
    writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="/main.js"></script>')
    writeFileSync(join(root, 'main.js'), `import hero from '~ai-assets/hero'\nconsole.log(hero)\n`)
  })
  const saved = process.env.RUNWARE_API_KEY
  process.env.RUNWARE_API_KEY = KEY
  const error = await viteBuild(root).then(() => undefined, e => e).finally(() => {
    if (saved === undefined)
      delete process.env.RUNWARE_API_KEY
    else
      process.env.RUNWARE_API_KEY = saved
  })
  expect(String(error?.message)).toMatch(/asset "hero", field "image": reference image \/etc\/hostname is outside the project/)
  expect(fake.requests).toEqual([])
  expect(existsSync(join(root, 'dist'))).toBe(false)
})
