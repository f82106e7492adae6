/**
 * `npm run bench:cli`: how long `ai-assets --version` and `ai-assets status`
 * (a site of 1000 fresh assets: store and lockfile filled) take to start and
 * answer, as fresh processes, against `node -e 0`: node's own start, the
 * least any command can cost. They alternate; medians of 11 runs.
 *
 * `status` is measured as users run it day to day: after a first `status`
 * (run once before measuring, as a user's first one would) has verified the
 * store. `status --check`, which hashes every original each time, is printed
 * as a second figure, with no target.
 */
import type { Measured } from './lib/measure'
import { buildDist, cli, medians, ratio, runNode } from './lib/measure'
import { pluginSite } from './lib/sites'

const N = Number(process.argv[2]) || 1000
const RUNS = Number(process.env.BENCH_RUNS) || 11

buildDist()
// Past the racy window (pluginSite): the first `status` records every original, so the measured ones hash none.
const site = await pluginSite(`cli-${N}`, N, { formats: ['webp'], widths: [320] })
const commands = {
  'node -e 0': ['-e', '0'],
  'ai-assets --version': [cli, '--version'],
  'ai-assets status': [cli, 'status'],
  'ai-assets status --check': [cli, 'status', '--check'],
}
const runs: Record<string, Measured[]> = Object.fromEntries(Object.keys(commands).map(name => [name, []]))
// A user's first `status`: it verifies the store (and records what it verified), like the runs measured after it.
const status = runNode(commands['ai-assets status'], site)
const fresh = status.stdout.split('\n').filter(line => /\bfresh\b/.test(line)).length
if (fresh < N)
  throw new Error(`\`ai-assets status\` listed ${fresh} fresh assets, not ${N}:\n${status.stdout.slice(0, 2000)}`)
for (let run = 1; run <= RUNS; run++) {
  for (const [name, args] of Object.entries(commands))
    runs[name]!.push(runNode(args, site))
  process.stdout.write(`  run ${run}/${RUNS}\r`)
}
process.stdout.write('\n')
// CPU (user + sys) beside wall time: on a shared machine, waiting for a core inflates the wall figures more.
const [node, version, statusRun, check] = Object.values(runs).map(medians) as Omit<Measured, 'stdout'>[]
const cpu = (figure: Omit<Measured, 'stdout'>) => `${(figure.cpu * 1000).toFixed(0)} ms CPU`
console.log(`CLI start, median of ${RUNS} fresh processes each (status: ${N} fresh assets)`)
console.log(`  node -e 0:                 ${node!.wall.toFixed(0)} ms (${cpu(node!)})`)
console.log(`  ai-assets --version:       ${version!.wall.toFixed(0)} ms (${cpu(version!)})  ${ratio(version!.wall, node!.wall)} node's start (target ≤ 1.5×; CPU ${ratio(version!.cpu, node!.cpu)})`)
console.log(`  ai-assets status:          ${statusRun!.wall.toFixed(0)} ms (${cpu(statusRun!)})  ${((statusRun!.wall - node!.wall) / 1000).toFixed(2)} s over node's start (target ≤ 0.1 s; CPU ${(statusRun!.cpu - node!.cpu).toFixed(2)} s over)`)
console.log(`  ai-assets status --check:  ${check!.wall.toFixed(0)} ms (${cpu(check!)})  ${((check!.wall - node!.wall) / 1000).toFixed(2)} s over node's start (hashes every original; no target)`)
