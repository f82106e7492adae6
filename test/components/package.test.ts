/**
 * The subpath exports of the picture components point at files that the
 * published package holds (`npm pack`).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { repoRoot } from '../helpers'

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))

/** Every file path an export names, under any condition. */
function targets(entry: unknown): string[] {
  if (typeof entry === 'string')
    return [entry]
  return Object.values(entry as Record<string, unknown>).flatMap(targets)
}

it('packs every file the component exports name, the Svelte and Astro sources included', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  const files = new Set((packed.files as { path: string }[]).map(file => file.path))
  const subpaths = ['./picture', './react', './vue', './svelte', './astro/components']
  for (const subpath of subpaths) {
    expect(manifest.exports[subpath], subpath).toBeDefined()
    for (const target of targets(manifest.exports[subpath]))
      expect(files.has(target.replace(/^\.\//, '')), `${subpath} → ${target}`).toBe(true)
  }
  // What the Svelte and Astro entries import sit next to them.
  for (const file of ['components/svelte/Picture.svelte', 'components/svelte/Picture.svelte.d.ts', 'components/astro/Picture.astro'])
    expect(files.has(file), file).toBe(true)
  // Svelte libraries are found by the `svelte` condition; Astro finds component packages by this keyword.
  expect(manifest.exports['./svelte'].svelte).toBe('./components/svelte/index.js')
  expect(manifest.keywords).toContain('astro-component')
})
