/**
 * `npm run bench:dev`: what a `vite dev` session holds once it has shown N
 * photos (webp at 640 and 1280 px, the default widths; 200 unless given:
 * `npm run bench:dev -- 1000`), every module and every file asked for as a
 * browser showing the page would (lib/dev-child.mjs), garbage collected. The
 * derivative cache is filled by a build first: what is measured is what the
 * server keeps, not the making. The baseline, measured in the same run: a
 * plain site serving the same files from its own folder, whose dev server
 * reads each from disk when asked and keeps nothing. Ours should hold no
 * more than it: the files are read again from the derivative cache.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDist, median, numbersFromArgs, runNode, vite } from './lib/measure'
import { emittedImages, plainSite, pluginSite } from './lib/sites'

const RUNS = Number(process.env.BENCH_RUNS) || 3
const DEFAULTS = { formats: ['webp'], widths: [640, 1280] }
const child = fileURLToPath(new URL('./lib/dev-child.mjs', import.meta.url))
const MiB = 2 ** 20

interface Session { served: number, before: { heap: number, external: number }, after: { heap: number, external: number } }

function session(site: string): Session {
  const result = spawnSync(process.execPath, ['--expose-gc', child, site], { cwd: site, encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`the dev session of ${site} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!)
}

/** Medians of what a session of the site holds after serving, over before: outside the JS heap, and in it. */
function measure(site: string) {
  const sessions = Array.from({ length: RUNS }, () => session(site))
  return {
    served: sessions[0]!.served,
    external: median(sessions.map(s => s.after.external - s.before.external)),
    heap: median(sessions.map(s => s.after.heap - s.before.heap)),
  }
}

buildDist()
const [n] = numbersFromArgs([200])
const site = await pluginSite(`dev-${n}`, n!, DEFAULTS)
// The derivatives, made once and kept across runs: the server reads them from the cache.
if (!existsSync(join(site, 'dist')))
  runNode([vite, 'build', '--logLevel', 'error'], site)
const plain = plainSite(`dev-${n}-plain`, emittedImages(site))

const ours = measure(site)
const baseline = measure(plain)
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
console.log(`vite dev, ${n} photos (webp 640 and 1280 px) shown; median of ${RUNS} sessions each; held = after serving minus before, garbage collected`)
console.log(`  files served         ${mib(ours.served)} (plain site: ${mib(baseline.served)})`)
console.log(`  held outside the heap: unplugin-ai-assets ${mib(ours.external)}, plain site ${mib(baseline.external)}; ours is ${(ours.external / ours.served).toFixed(2)}× the bytes served (0 would hold none)`)
console.log(`  held in the JS heap:   unplugin-ai-assets ${mib(ours.heap)}, plain site ${mib(baseline.heap)}`)
