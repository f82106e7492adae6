/**
 * A project for the design tests: fixtures/providers with a config of our
 * own (brands included), a client entry importing each asset as asked, and an
 * SSR entry exporting the same imports, so that the import objects and `?raw`
 * strings can be read from a real build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { copyFixture, viteBuild } from '../helpers'

export interface DesignProject {
  provider: Record<string, unknown>
  assets: Record<string, Record<string, unknown>>
  brands?: Record<string, { references: string[] }>
  defaults?: Record<string, unknown>
  /** Import specifiers by export name, e.g. `{ logo: 'logo', iconRaw: 'icon?raw' }`. */
  imports: Record<string, string>
}

export function designProject(options: DesignProject): string {
  const dir = copyFixture('providers')
  const config = { provider: options.provider, brands: options.brands, defaults: { widths: [128, 256], ...options.defaults }, assets: options.assets }
  writeFileSync(join(dir, 'assets.config.ts'), `export default ${JSON.stringify(config, null, 2)}\n`)
  const lines = Object.entries(options.imports).map(([name, spec]) => `import ${name} from '~ai-assets/${spec}'`)
  const names = Object.keys(options.imports)
  writeFileSync(join(dir, 'src/main.js'), `${lines.join('\n')}\nconsole.log(${names.join(', ')})\n`)
  writeFileSync(join(dir, 'src/ssr.js'), `${lines.join('\n')}\nexport { ${names.join(', ')} }\n`)
  return dir
}

/** A real reference image (PNG) of one colour, written into the project: `side` px square, Recraft's smallest by default. */
export async function writeReference(dir: string, file: string, color: string, side = 256): Promise<void> {
  mkdirSync(join(dir, file, '..'), { recursive: true })
  writeFileSync(join(dir, file), await sharp({ create: { width: side, height: side, channels: 3, background: color } }).png().toBuffer())
}

let ssrBuilds = 0

/** The client build's folder and the SSR build's exports. */
export async function buildBoth(dir: string): Promise<{ dist: string, exports: Record<string, any> }> {
  const dist = await viteBuild(dir, { dts: false })
  const node = await viteBuild(dir, { dts: false }, { build: { ssr: 'src/ssr.js', outDir: `dist-node-${ssrBuilds++}` } })
  const exports = await import(join(node, 'ssr.js'))
  return { dist, exports }
}

export function readLock(dir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dir, 'ai-assets', 'ai-assets.lock.json'), 'utf8'))
}
