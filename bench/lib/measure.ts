/**
 * Fresh processes, measured from outside as a user's shell would: wall time
 * from spawn to exit (in this process), and the child's CPU time (user + sys)
 * and peak RSS from `/usr/bin/time -v` (Debian: `apt-get install time`).
 * Without it, a preloaded module reports the child's own
 * `process.resourceUsage()` at exit (node children only).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { repoRoot } from './store'

export interface Measured {
  /** Milliseconds, spawn to exit. */
  wall: number
  /** Seconds of CPU, user + sys, the child's threads included. */
  cpu: number
  /** Peak resident set size, MiB. */
  rss: number
  stdout: string
}

const TIME = '/usr/bin/time'
export const hasGnuTime = existsSync(TIME)
const reporter = fileURLToPath(new URL('./report-usage.mjs', import.meta.url))

export const vite = join(repoRoot, 'node_modules/vite/bin/vite.js')
export const cli = join(repoRoot, 'dist/cli/index.mjs')

/** The child's environment: no CI (a user's machine), no provider key, no colours in output. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra }
  delete env.CI
  delete env.RUNWARE_API_KEY
  delete env.NODE_OPTIONS
  return env
}

/** Runs `node …args` in cwd; throws with its output when it fails. */
export function runNode(args: string[], cwd: string): Measured {
  const scratch = mkdtempSync(join(tmpdir(), 'ai-assets-bench-'))
  const usage = join(scratch, 'usage')
  const [command, commandArgs, env] = hasGnuTime
    ? [TIME, ['-v', '-o', usage, process.execPath, ...args], childEnv()]
    : [process.execPath, args, childEnv({ NODE_OPTIONS: `--import=${reporter}`, AI_ASSETS_BENCH_USAGE: usage })]
  const started = performance.now()
  const child = spawnSync(command, commandArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 })
  const wall = performance.now() - started
  try {
    if (child.status !== 0)
      throw new Error(`\`node ${args.join(' ')}\` in ${cwd} failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`)
    const text = readFileSync(usage, 'utf8')
    if (hasGnuTime) {
      const field = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(text)?.[1] ?? Number.NaN)
      return { wall, cpu: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), rss: field('Maximum resident set size \\(kbytes\\)') / 1024, stdout: child.stdout }
    }
    const { cpu, maxRSS } = JSON.parse(text)
    return { wall, cpu, rss: maxRSS / 1024, stdout: child.stdout }
  }
  finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Medians of each field over several runs. */
export function medians(runs: Measured[]): Omit<Measured, 'stdout'> {
  return { wall: median(runs.map(r => r.wall)), cpu: median(runs.map(r => r.cpu)), rss: median(runs.map(r => r.rss)) }
}

export const ratio = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}×`

/** `npm run bench:x -- 50 1000`: the numbers given, else the defaults. */
export function numbersFromArgs(defaults: number[]): number[] {
  const given = process.argv.slice(2).map(Number).filter(n => Number.isInteger(n) && n > 0)
  return given.length > 0 ? given : defaults
}

/**
 * dist/ as `npm pack` would ship it (package.json `files`), which the bench
 * sites import by the package's name. Rebuilt only when something under src/
 * is newer, so that a bench never rebuilds it under another one's feet.
 */
export function buildDist(): void {
  const newest = (dir: string) => Math.max(0, ...readdirSync(dir, { recursive: true }).map(file => statSync(join(dir, String(file))).mtimeMs))
  const built = join(repoRoot, 'dist/cli/index.mjs')
  if (existsSync(built) && statSync(built).mtimeMs > newest(join(repoRoot, 'src')))
    return
  console.log('building dist/ (tsdown)…')
  const tsdown = spawnSync('npx', ['tsdown', '--log-level', 'warn'], { cwd: repoRoot, stdio: 'inherit' })
  if (tsdown.status !== 0)
    throw new Error('tsdown failed')
}
