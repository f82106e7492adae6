import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Fixture configs import `unplugin-ai-assets` by its package name, which
 * resolves to dist/: build it once, so that tests run what users get.
 */
export default function setup() {
  execFileSync('npx', ['tsdown', '--log-level', 'warn'], { cwd: root, stdio: 'inherit' })
  return () => rmSync(new URL('../.tmp', import.meta.url), { recursive: true, force: true })
}
