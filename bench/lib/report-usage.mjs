// Preloaded into a bench child when /usr/bin/time is missing: writes the
// process's own CPU time (s) and peak RSS (KiB) where the bench asked.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(process.env.AI_ASSETS_BENCH_USAGE, JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRSS: usage.maxRSS }))
})
