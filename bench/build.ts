/**
 * `npm run bench:build`: what a warm build (store and derivative cache filled)
 * costs over a plain build that imports the very same image files directly.
 * Both are measured here, alternately, so that a noisy machine skews both:
 * in this process (as a watch rebuild does) and as fresh `vite build`
 * processes (as CI does, paying for every module the plugin loads).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import AiAssets from '../src/vite'

const RUNS = 7
const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = join(root, '.tmp', `bench-build-${process.pid}`)
const withPlugin = join(scratch, 'plugin')
const direct = join(scratch, 'direct')

rmSync(scratch, { recursive: true, force: true })
mkdirSync(scratch, { recursive: true })
cpSync(join(root, 'examples/vite'), withPlugin, { recursive: true, filter: src => !src.includes('node_modules') && !src.endsWith('dist') })

const quiet = { configFile: false as const, logLevel: 'silent' as const }
const buildWithPlugin = () => build({ ...quiet, root: withPlugin, plugins: [AiAssets({ frozen: false })] })

// Cold build once: generates the placeholders and fills the derivative cache.
await buildWithPlugin()

// The baseline project imports the emitted files themselves, with ?url, from the same entry shape.
const emitted = readdirSync(join(withPlugin, 'dist/assets'), { recursive: true }).map(String).filter(f => /\.(?:avif|webp|png)$/.test(f))
mkdirSync(join(direct, 'src/images'), { recursive: true })
emitted.forEach((file, i) => copyFileSync(join(withPlugin, 'dist/assets', file), join(direct, 'src/images', `${i}-${file.replaceAll('/', '-')}`)))
writeFileSync(join(direct, 'index.html'), `<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>`)
writeFileSync(join(direct, 'src/main.js'), `${emitted.map((file, i) => `import u${i} from './images/${i}-${file.replaceAll('/', '-')}?url'`).join('\n')}\ndocument.querySelector('#app').textContent = [${emitted.map((_, i) => `u${i}`).join(', ')}].join(' ')\n`)
const buildDirect = () => build({ ...quiet, root: direct, build: { assetsInlineLimit: 0 } })

async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await task()
  return performance.now() - start
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
async function compare(label: string, baseline: () => Promise<unknown>, plugin: () => Promise<unknown>) {
  const times = { baseline: [] as number[], plugin: [] as number[] }
  await baseline()
  for (let run = 0; run < RUNS; run++) {
    times.baseline.push(await time(baseline))
    times.plugin.push(await time(plugin))
  }
  const [b, p] = [median(times.baseline), median(times.plugin)]
  console.log(`\n${label}, median of ${RUNS} builds each (${emitted.length} images)`)
  console.log(`  plain build importing the files directly: ${b.toFixed(0)} ms`)
  console.log(`  warm build with unplugin-ai-assets:       ${p.toFixed(0)} ms`)
  console.log(`  ratio: ${(p / b).toFixed(2)}× (target: close to 1×)`)
}

await compare('In this process (watch rebuilds)', buildDirect, buildWithPlugin)

// Fresh processes run the example's own vite.config.ts, which imports the built package.
execFileSync('npx', ['tsdown', '--log-level', 'warn'], { cwd: root, stdio: 'inherit' })
const vite = join(root, 'node_modules/vite/bin/vite.js')
const viteProcess = (cwd: string) => async () => execFileSync(process.execPath, [vite, 'build', '--logLevel', 'silent'], { cwd, env: { ...process.env, CI: '' } })
writeFileSync(join(direct, 'vite.config.mjs'), `export default { build: { assetsInlineLimit: 0 } }\n`)
await compare('Fresh `vite build` processes (CI)', viteProcess(direct), viteProcess(withPlugin))
rmSync(scratch, { recursive: true, force: true })
