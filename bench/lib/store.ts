/**
 * The bench's originals, made the way users make theirs: `generateAssets`
 * against the Runware fake (a real node:http server on 127.0.0.1), which
 * answers each request with a new photo-like 1024×1024 JPEG. The store and its
 * lockfile are kept in `.tmp/bench-stores/<n>/` and reused by later runs
 * (delete the folder to remake them); each bench site links them in.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateAssets } from '../../src/index'
import { startRunwareFake } from '../../test/fakes/runware'
import { photoLike } from './photo'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const KEY = 'bench-key-0000'
/** Bumped whenever the images or the config below change, so that old stores are remade. */
const VERSION = 'v1'

export const assetName = (i: number) => `photo-${i}`

/**
 * The provider as every bench config names it. The base URL is not part of
 * the generation key (README "The store, the lockfile and frozen builds"), so
 * sites point it at a closed port: a frozen build that tried to call would fail.
 */
export function providerSource(baseURL = 'http://127.0.0.1:9/v1'): string {
  return `{ name: 'runware', baseURL: ${JSON.stringify(baseURL)}, outputFormat: 'JPG' }`
}

/**
 * `assets.config.ts` for n photos, with these output defaults, written as
 * users write theirs (README "Quick start"): importing `defineAssets` from the
 * package, which every command that reads the config then loads.
 */
export function configSource(n: number, defaults: Record<string, unknown>, baseURL?: string): string {
  const assets = Array.from({ length: n }, (_, i) => `    ${JSON.stringify(assetName(i))}: { prompt: 'Bench photo ${i}', size: '1024x1024', alt: 'Bench photo ${i}' },`)
  return `import { defineAssets } from 'unplugin-ai-assets'\n\nexport default defineAssets({\n  provider: ${providerSource(baseURL)},\n  defaults: ${JSON.stringify(defaults)},\n  assets: {\n${assets.join('\n')}\n  },\n})\n`
}

/** The folder holding `ai-assets/` (originals and lockfile) for n photos; made on first use. */
export async function benchStore(n: number): Promise<string> {
  const dir = join(repoRoot, '.tmp', 'bench-stores', `${VERSION}-${n}`)
  if (existsSync(join(dir, 'ready')))
    return dir
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const fake = await startRunwareFake(KEY)
  // Each image the fake makes is new: seeds count up, so the set of images is the same every time.
  let seed = 0
  fake.image = (width, height) => photoLike(seed++, width, height, 'jpeg')
  try {
    writeFileSync(join(dir, 'assets.config.ts'), configSource(n, {}, `${fake.url}/v1`))
    const started = performance.now()
    const result = await generateAssets({
      root: dir,
      frozen: false,
      concurrency: 4,
      env: { RUNWARE_API_KEY: KEY },
      warn: console.warn,
      onProgress: (event) => {
        if (event.type === 'done' && (event.done % 50 === 0 || event.done === event.total))
          console.log(`  store: ${event.done}/${event.total} originals generated (${((performance.now() - started) / 1000).toFixed(0)} s)`)
      },
    })
    if (!result.ok || result.summary.generated !== n)
      throw new Error(`bench store for ${n} assets: ${JSON.stringify(result.summary)} ${result.results.find(r => r.error)?.error ?? ''}`)
  }
  finally {
    await fake.close()
  }
  writeFileSync(join(dir, 'ready'), '')
  return dir
}

/** Hard-links the store of n photos into `<site>/ai-assets/`: no copy of gigabytes, and the plugin only ever renames over files. */
export async function linkStore(n: number, site: string): Promise<void> {
  const source = join(await benchStore(n), 'ai-assets')
  const target = join(site, 'ai-assets')
  rmSync(target, { recursive: true, force: true })
  mkdirSync(target, { recursive: true })
  // Files only: the store's .locks/ folder is the generating process's, and a folder cannot be hard-linked.
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile())
      linkSync(join(source, entry.name), join(target, entry.name))
  }
}
