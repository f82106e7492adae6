/**
 * `npm run bench:memory`: peak RSS of a cold `vite build` (originals in the
 * store, no derivative cache) of a site importing N photos (webp at one
 * width, plus the jpeg `<img>` fallback users get by default), at N = 50, 200
 * and 1000 (or the Ns given: `npm run bench:memory -- 50 200`). Bounded
 * derivation keeps it flat: the ratios between Ns are the figures. The
 * baseline: a plain `vite build` of a site importing the same emitted files
 * with `?url`, which shows what Vite itself holds per emitted file; what is
 * ours is the difference.
 */
import { buildDist, hasGnuTime, medians, numbersFromArgs, runNode, vite } from './lib/measure'
import { emittedImages, makeCold, plainSite, pluginSite } from './lib/sites'

// 3 at every N: one peak moves by tens of MiB from run to run (a cold build of 1000 takes about 25 s).
const RUNS = Number(process.env.BENCH_RUNS) || 3
const DEFAULTS = { formats: ['webp'], widths: [320] }

buildDist()
console.log(`peak RSS from ${hasGnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS of the child'}`)
const peaks: { n: number, rss: number, plain: number }[] = []
for (const n of numbersFromArgs([50, 200, 1000])) {
  const site = await pluginSite(`memory-${n}`, n, DEFAULTS)
  const runs = []
  for (let run = 1; run <= RUNS; run++) {
    makeCold(site)
    const measured = runNode([vite, 'build', '--logLevel', 'error'], site)
    console.log(`  ${n} assets, cold build ${run}/${RUNS}: ${measured.rss.toFixed(0)} MiB peak, ${(measured.wall / 1000).toFixed(1)} s wall, ${measured.cpu.toFixed(1)} s CPU`)
    runs.push(measured)
  }
  const median = medians(runs)
  const images = emittedImages(site)
  const plain = plainSite(`memory-${n}-plain`, images)
  const plainRuns = Array.from({ length: 3 }, () => runNode([vite, 'build', '--logLevel', 'error'], plain))
  const plainRss = medians(plainRuns).rss
  peaks.push({ n, rss: median.rss, plain: plainRss })
  console.log(`${n} assets: ${median.rss.toFixed(0)} MiB peak RSS (median of ${runs.length}), ${(median.wall / 1000).toFixed(1)} s wall; `
    + `a plain build of the same ${images.length} files: ${plainRss.toFixed(0)} MiB (median of 3); ours over it: ${(median.rss - plainRss).toFixed(0)} MiB`)
}
console.log('\npeak RSS of a cold build:')
for (let i = 1; i < peaks.length; i++) {
  const [before, after] = [peaks[i - 1]!, peaks[i]!]
  console.log(`  ${after.n}/${before.n}: ${(after.rss / before.rss).toFixed(2)}× (${after.rss.toFixed(0)} MiB vs ${before.rss.toFixed(0)} MiB; target ≤ 1.2×, flat from 200 to 1000); `
    + `the plain builds ${(after.plain / before.plain).toFixed(2)}× (${after.plain.toFixed(0)} MiB vs ${before.plain.toFixed(0)} MiB)`)
}
// What the plugin adds is the cold build over the plain build of the same files: if that does not grow, what grows is Vite's own.
console.log('ours over the plain build (cold peak minus plain peak):')
for (let i = 1; i < peaks.length; i++) {
  const [before, after] = [peaks[i - 1]!, peaks[i]!]
  const [overBefore, overAfter] = [before.rss - before.plain, after.rss - after.plain]
  console.log(`  ${after.n}/${before.n}: ${(overAfter / overBefore).toFixed(2)}× (${overAfter.toFixed(0)} MiB vs ${overBefore.toFixed(0)} MiB; flat is ≤ 1.0×)`)
}
