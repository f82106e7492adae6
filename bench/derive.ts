import type { Measured } from './lib/measure'
/**
 * `npm run bench:derive`: cold derivation of 50 photos × 4 derivatives (avif
 * and webp at 160 and 320 px) in three fresh `vite build` processes that
 * make the same files from the same originals:
 *   - unplugin-ai-assets (with `fallbackFormat: 'webp'`, so that the
 *     `<img>` fallback is one of the four; it also makes its blurred preview
 *     and dominant colour, as every import does);
 *   - vite-imagetools, with `?w=…&format=…` imports;
 *   - raw sharp in a ten-line Vite plugin doing the plugin's operations (four
 *     resizes, the preview and sharp's `stats()` for its dominant colour);
 *   - the floor: a Vite plugin that only encodes the four files, from pixels
 *     decoded and resized to each width before the clock starts. No plugin
 *     making these files can cost less: what a contender spends above it is
 *     everything but the encoders (Vite aside), which run with the same
 *     settings (sharp's defaults) in all four.
 * Every cache is emptied before each build. CPU is user + sys of the process.
 */
import { linkSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import sharp from 'sharp'
import { buildDist, medians, ratio, runNode, vite } from './lib/measure'
import { emittedImages, makeCold, pluginSite, siteDir } from './lib/sites'
import { assetName, benchStore } from './lib/store'

const N = 50
const RUNS = Number(process.env.BENCH_RUNS) || 3
const WIDTHS = [160, 320]
const FORMATS = ['avif', 'webp'] as const
const OUTPUTS = FORMATS.flatMap(format => WIDTHS.map(width => ({ width, format })))

/** A site whose src/originals/ links the store's originals, named after their assets. */
async function siteWithOriginals(name: string): Promise<{ dir: string, originals: string[] }> {
  const dir = siteDir(name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'src/originals'), { recursive: true })
  const store = join(await benchStore(N), 'ai-assets')
  const originals = Array.from({ length: N }, (_, i) => {
    const file = readdirSync(store).find(f => f.startsWith(`${assetName(i)}.`) && f.endsWith('.jpg'))!
    linkSync(join(store, file), join(dir, 'src/originals', `${assetName(i)}.jpg`))
    return `./originals/${assetName(i)}.jpg`
  })
  writeFileSync(join(dir, 'index.html'), `<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>\n`)
  return { dir, originals }
}

function writeMain(dir: string, ids: string[]): void {
  writeFileSync(join(dir, 'src/main.js'), `${ids.map((id, i) => `import i${i} from ${JSON.stringify(id)}`).join('\n')}\ndocument.querySelector('#app').textContent = JSON.stringify([${ids.map((_, i) => `i${i}`).join(', ')}])\n`)
}

buildDist()
const plugin = await pluginSite('derive-plugin', N, { formats: FORMATS, widths: WIDTHS, fallbackFormat: 'webp' })

const imagetools = await siteWithOriginals('derive-imagetools')
writeFileSync(join(imagetools.dir, 'vite.config.mjs'), `import { imagetools } from 'vite-imagetools'\nexport default { plugins: [imagetools()], build: { assetsInlineLimit: 0 } }\n`)
writeMain(imagetools.dir, imagetools.originals.flatMap(file => OUTPUTS.map(({ width, format }) => `${file}?w=${width}&format=${format}`)))

const raw = await siteWithOriginals('derive-sharp')
writeFileSync(join(raw.dir, 'vite.config.mjs'), `import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp from 'sharp'
const OUTPUTS = ${JSON.stringify(OUTPUTS)}
const rawSharp = {
  name: 'raw-sharp',
  enforce: 'pre',
  async load(id) {
    if (!id.endsWith('?derive')) return
    const file = id.slice(0, -'?derive'.length)
    const source = await readFile(file)
    const made = await Promise.all(OUTPUTS.map(({ width, format }) => sharp(source).resize({ width, withoutEnlargement: true })[format]().toBuffer()))
    const image = sharp(source)
    const [tiny, stats] = await Promise.all([image.clone().resize(16, 16, { fit: 'inside' }).blur(0.6).webp({ quality: 40, alphaQuality: 40 }).toBuffer(), image.clone().stats()])
    const refs = made.map((data, i) => this.emitFile({ type: 'asset', name: basename(file, '.jpg') + '-' + OUTPUTS[i].width + '.' + OUTPUTS[i].format, source: data }))
    return 'export default ' + JSON.stringify({ preview: tiny.toString('base64'), color: stats.dominant }).slice(0, -1) + ', urls: [' + refs.map(ref => 'import.meta.ROLLUP_FILE_URL_' + ref).join(', ') + '] }'
  },
}
export default { plugins: [rawSharp], build: { assetsInlineLimit: 0 } }
`)
writeMain(raw.dir, raw.originals.map(file => `${file}?derive`))

// The floor: each original's pixels at each width, made here, read by a plugin that only encodes them.
const floor = await siteWithOriginals('derive-encodes')
mkdirSync(join(floor.dir, 'src/pixels'), { recursive: true })
for (const file of floor.originals) {
  const name = basename(file, '.jpg')
  for (const width of WIDTHS) {
    const { data, info } = await sharp(join(floor.dir, 'src', file)).resize({ width }).raw().toBuffer({ resolveWithObject: true })
    writeFileSync(join(floor.dir, 'src/pixels', `${name}-${width}-${info.height}-${info.channels}.raw`), data)
  }
}
writeFileSync(join(floor.dir, 'vite.config.mjs'), `import { readdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import sharp from 'sharp'
const OUTPUTS = ${JSON.stringify(OUTPUTS)}
const folder = new URL('./src/pixels/', import.meta.url)
const pixels = readdirSync(folder)
const encodesOnly = {
  name: 'encodes-only',
  enforce: 'pre',
  async load(id) {
    if (!id.endsWith('?encode')) return
    const name = basename(id.slice(0, -'?encode'.length), '.jpg')
    const made = await Promise.all(OUTPUTS.map(({ width, format }) => {
      const raw = pixels.find(file => file.startsWith(name + '-' + width + '-'))
      const [height, channels] = raw.slice(0, -'.raw'.length).split('-').slice(-2).map(Number)
      return sharp(readFileSync(new URL(raw, folder)), { raw: { width, height, channels } })[format]().toBuffer()
    }))
    const refs = made.map((data, i) => this.emitFile({ type: 'asset', name: name + '-' + OUTPUTS[i].width + '.' + OUTPUTS[i].format, source: data }))
    return 'export default [' + refs.map(ref => 'import.meta.ROLLUP_FILE_URL_' + ref).join(', ') + ']'
  },
}
export default { plugins: [encodesOnly], build: { assetsInlineLimit: 0 } }
`)
writeMain(floor.dir, floor.originals.map(file => `${file}?encode`))

const contenders = { 'encodes only': floor.dir, 'raw sharp': raw.dir, 'vite-imagetools': imagetools.dir, 'unplugin-ai-assets': plugin }
const runs: Record<string, Measured[]> = Object.fromEntries(Object.keys(contenders).map(name => [name, []]))
const outputs: Record<string, { files: number, bytes: number }> = {}
for (let run = 1; run <= RUNS; run++) {
  // Rotated, so that no contender always runs first or last on a shared machine.
  const order = Object.entries(contenders)
  for (const [name, dir] of [...order.slice(run % order.length), ...order.slice(0, run % order.length)]) {
    makeCold(dir)
    const measured = runNode([vite, 'build', '--logLevel', 'error'], dir)
    runs[name]!.push(measured)
    const files = emittedImages(dir)
    outputs[name] = { files: files.length, bytes: files.reduce((sum, file) => sum + statSync(file).size, 0) }
    console.log(`  run ${run}/${RUNS}, ${name}: ${(measured.wall / 1000).toFixed(1)} s wall, ${measured.cpu.toFixed(1)} s CPU`)
  }
}
for (const [name, { files }] of Object.entries(outputs)) {
  if (files !== N * OUTPUTS.length)
    throw new Error(`${name} emitted ${files} images, not ${N * OUTPUTS.length}`)
}

const m = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, medians(list)]))
const ours = m['unplugin-ai-assets']!
console.log(`\ncold derivation, ${N} originals × ${OUTPUTS.length} derivatives (${OUTPUTS.map(o => `${o.format} ${o.width}`).join(', ')}), median of ${RUNS} fresh \`vite build\` processes`)
for (const [name, figures] of Object.entries(m))
  console.log(`  ${name.padEnd(19)} ${figures.cpu.toFixed(1).padStart(5)} s CPU  ${(figures.wall / 1000).toFixed(1).padStart(5)} s wall  ${figures.rss.toFixed(0).padStart(4)} MiB peak  ${(outputs[name]!.bytes / 1024).toFixed(0)} KiB emitted`)
console.log(`  against vite-imagetools: ${ratio(ours.cpu, m['vite-imagetools']!.cpu)} CPU, ${ratio(ours.wall, m['vite-imagetools']!.wall)} wall (target ≤ 0.95× CPU, ≤ 1.0× wall)`)
console.log(`  against raw sharp:       ${ratio(ours.cpu, m['raw sharp']!.cpu)} CPU, ${ratio(ours.wall, m['raw sharp']!.wall)} wall (target ≤ 1.05× CPU)`)
// What each spends above the encodes: the part a plugin's own work decides.
const above = (name: string) => m[name]!.cpu - m['encodes only']!.cpu
console.log(`  above the floor (encodes only, ${ratio(m['encodes only']!.cpu, m['vite-imagetools']!.cpu)} of vite-imagetools' CPU): unplugin-ai-assets ${above('unplugin-ai-assets').toFixed(1)} s CPU, vite-imagetools ${above('vite-imagetools').toFixed(1)} s, raw sharp ${above('raw sharp').toFixed(1)} s`)
