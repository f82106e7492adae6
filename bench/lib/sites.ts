/**
 * Vite sites under `.tmp/bench-sites/`, inside this package so that
 * `import 'unplugin-ai-assets/vite'` resolves through the package's own
 * `exports` to `dist/`, exactly the files `npm pack` ships (`files` in
 * package.json), with the same dependencies, as the test fixtures do. Packing
 * and installing per run would add minutes and measure nothing more.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { RACY_MS } from '../../src/core/stat-fingerprint'
import { assetName, configSource, linkStore, repoRoot } from './store'

export const siteDir = (name: string) => join(repoRoot, '.tmp', 'bench-sites', name)

const HTML = `<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>\n`

/** Writes an entry that imports every module and keeps every import alive. */
function writeEntry(dir: string, imports: string[]): void {
  mkdirSync(join(dir, 'src'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), HTML)
  const lines = imports.map((id, i) => `import i${i} from ${JSON.stringify(id)}`)
  writeFileSync(join(dir, 'src/main.js'), `${lines.join('\n')}\ndocument.querySelector('#app').textContent = JSON.stringify([${imports.map((_, i) => `i${i}`).join(', ')}])\n`)
}

/**
 * A site importing n photos through the plugin (frozen: it must never call),
 * with these output defaults. Its derivative cache is kept from the last run:
 * benches that want a cold build empty it (makeCold).
 *
 * Resolves once the racy window has passed. Linking the store into the site
 * gives every original a new ctime, and a file changed less than 2 s ago is
 * hashed but not recorded in the verified index (README "How much checking
 * costs"). A cold build of 200 assets started at once peaked 25–55 MiB
 * higher and took 0.3 s longer than the ones after it; a `status` would
 * record nothing. A user's store, or a CI checkout after `npm ci`, was not
 * written a moment before their build.
 */
export async function pluginSite(name: string, n: number, defaults: Record<string, unknown>): Promise<string> {
  const dir = siteDir(name)
  mkdirSync(dir, { recursive: true })
  await linkStore(n, dir)
  writeFileSync(join(dir, 'assets.config.ts'), configSource(n, defaults))
  writeFileSync(join(dir, 'vite.config.mjs'), `import AiAssets from 'unplugin-ai-assets/vite'\nexport default { plugins: [AiAssets({ frozen: true, dts: false })], build: { assetsInlineLimit: 0 } }\n`)
  writeEntry(dir, Array.from({ length: n }, (_, i) => `~ai-assets/${assetName(i)}`))
  await new Promise(resolve => setTimeout(resolve, RACY_MS + 100))
  return dir
}

/** A site with copies of these files in src/images/, importing each with `?url`: what a site that commits its images pays. */
export function plainSite(name: string, files: string[]): string {
  const dir = siteDir(name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'src/images'), { recursive: true })
  writeFileSync(join(dir, 'vite.config.mjs'), `export default { build: { assetsInlineLimit: 0 } }\n`)
  const copies = files.map((file, i) => {
    const copy = `${i}-${basename(file)}`
    copyFileSync(file, join(dir, 'src/images', copy))
    return `./images/${copy}?url`
  })
  writeEntry(dir, copies)
  return dir
}

/** Files a build emitted under dist/assets (images only). */
export function emittedImages(site: string): string[] {
  return readdirSync(join(site, 'dist/assets'), { recursive: true }).map(String).filter(file => /\.(?:avif|webp|png|jpe?g)$/.test(file)).map(file => join(site, 'dist/assets', file))
}

/** What a cold build starts from: the store, but no derivative cache and no output. */
export function makeCold(site: string): void {
  rmSync(join(site, 'node_modules/.cache'), { recursive: true, force: true })
  rmSync(join(site, 'dist'), { recursive: true, force: true })
}
