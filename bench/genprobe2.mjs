import { fork } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Session } from 'node:inspector/promises'
const root = process.cwd()
const { generateAssets } = await import(join(root, 'dist/index.mjs'))
const child = fork(join(root, 'bench/lib/runware-child.ts'), ['bench-key-0000', '400', '8'], { execArgv: ['--import', 'jiti/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const ask = (type, req) => new Promise((res) => { const on = (m) => { if (m.type === type) { child.off('message', on); res(m) } }; child.on('message', on); if (req) child.send(req) })
const { url } = await ask('ready')
const assets = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`asset-${i}`, { prompt: `Benchmark asset ${i}`, size: '1024x1024' }]))
const session = new Session(); session.connect()
for (let run = 0; run < 3; run++) {
  const dir = join(root, '.tmp', `probe-${run}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'assets.config.ts'), `export default ${JSON.stringify({ provider: { name: 'runware', baseURL: `${url}/v1`, outputFormat: 'JPG' }, assets })}\n`)
  await ask('reset', { type: 'reset' })
  if (run === 2) { await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start') }
  const c0 = process.cpuUsage()
  let planned = 0
  const result = await generateAssets({ root: dir, frozen: false, concurrency: 8, env: { RUNWARE_API_KEY: 'bench-key-0000' }, warn: console.warn, onProgress: (e) => { if (e.type === 'plan') planned = performance.now() } })
  const end = performance.now() - planned
  const cpu = process.cpuUsage(c0)
  if (run === 2) { const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/gen.cpuprofile', JSON.stringify(profile)) }
  const stats = await ask('stats', { type: 'stats' })
  console.log(result.ok, 'end', end.toFixed(0), 'cpu ms', ((cpu.user + cpu.system) / 1000).toFixed(0), 'first', (stats.arrivals[0] - performance.timeOrigin - planned).toFixed(0), 'last', (Math.max(...stats.arrivals) - performance.timeOrigin - planned).toFixed(0))
  rmSync(dir, { recursive: true, force: true })
}
child.send({ type: 'close' })
