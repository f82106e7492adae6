/**
 * `npm run bench:build -- 50 1000`: a warm `vite build` (store and derivative
 * cache filled, as on a developer's machine after the first build) of a site
 * importing N photos (avif + webp at 2 widths, plus the jpeg `<img>` fallback
 * users get by default), against the same site importing the emitted files
 * directly with `?url`. Each build is a fresh `vite build` process, as a user
 * or CI runs it; the two alternate, so that a noisy machine skews both.
 * Default N: 50.
 */
import { buildDist, median, numbersFromArgs, ratio, runNode, vite } from './lib/measure'
import { emittedImages, plainSite, pluginSite } from './lib/sites'

const RUNS = Number(process.env.BENCH_RUNS) || 7
const DEFAULTS = { formats: ['avif', 'webp'], widths: [160, 320] }
const viteBuild = [vite, 'build', '--logLevel', 'error']

buildDist()
const results: string[] = []
for (const n of numbersFromArgs([50])) {
  console.log(`\nbench:build, ${n} assets`)
  const withPlugin = await pluginSite(`build-${n}`, n, DEFAULTS)
  const first = runNode(viteBuild, withPlugin)
  console.log(`  first build (fills the derivative cache when it is empty): ${(first.wall / 1000).toFixed(1)} s`)
  const images = emittedImages(withPlugin)
  const plain = plainSite(`build-${n}-plain`, images)
  runNode(viteBuild, plain)

  const times = { plain: [] as number[], plugin: [] as number[] }
  for (let run = 1; run <= RUNS; run++) {
    times.plain.push(runNode(viteBuild, plain).wall)
    times.plugin.push(runNode(viteBuild, withPlugin).wall)
    process.stdout.write(`  run ${run}/${RUNS}\r`)
  }
  process.stdout.write('\n')
  const warmImages = emittedImages(withPlugin).length
  if (warmImages !== images.length)
    throw new Error(`the warm build emitted ${warmImages} images, the first one ${images.length}`)
  const [plainMs, pluginMs] = [median(times.plain), median(times.plugin)]
  console.log(`  ${images.length} image files; median of ${RUNS} fresh \`vite build\` processes each`)
  console.log(`  plain build importing the files directly: ${(plainMs / 1000).toFixed(2)} s`)
  console.log(`  warm build with unplugin-ai-assets:       ${(pluginMs / 1000).toFixed(2)} s`)
  console.log(`  ratio: ${ratio(pluginMs, plainMs)} (target ≤ 1.05×)`)
  results.push(`${n} assets: ${ratio(pluginMs, plainMs)} (${(pluginMs / 1000).toFixed(2)} s vs ${(plainMs / 1000).toFixed(2)} s)`)
}
console.log(`\nwarm build against plain imports: ${results.join('; ')}`)
