import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installFixtures } from '../scripts/install-fixtures.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Fixture configs import `unplugin-ai-assets` by its package name, which
 * resolves to dist/: build it once, so that tests run what users get.
 */
export default async function setup() {
  // The framework fixtures' own installs (test/frameworks/), only when their package.json or lockfile changed.
  await installFixtures()
  // --no-clean: other test runs in the same tree must never find dist/ empty.
  execFileSync('npx', ['tsdown', '--log-level', 'warn', '--no-clean'], { cwd: root, stdio: 'inherit' })
  // One scratch folder per run (workers inherit the variable), so that parallel runs never delete each other's.
  const scratch = join(root, '.tmp', `run-${process.pid}-${Date.now()}`)
  process.env.AI_ASSETS_TEST_SCRATCH = scratch
  return () => rmSync(scratch, { recursive: true, force: true })
}
