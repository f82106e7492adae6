/** Shared by the CLI tests: the real bin, spawned as users run it, in a scratch copy of a fixture. */
import type { FakeServer } from '../fakes/server'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startRunwareFake } from '../fakes/runware'
import { repoRoot } from '../helpers'

export const BIN = join(repoRoot, 'dist', 'cli', 'index.mjs')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `node …nodeArgs dist/cli/index.mjs …args` in `cwd`, asynchronously (the fake
 * servers live in this process and must keep answering). CI is unset so that
 * runs are not frozen unless a test says so. `bin`: another copy of the bin.
 */
export function cli(cwd: string, args: string[], env: Record<string, string | undefined> = {}, nodeArgs: string[] = [], bin = BIN): Promise<CliResult> {
  const childEnv: Record<string, string | undefined> = { ...process.env, CI: undefined, FORCE_COLOR: '0', ...env }
  for (const [key, value] of Object.entries(childEnv)) {
    if (value === undefined)
      delete childEnv[key]
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    child.stderr.on('data', (chunk) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

export function readLock(dir: string, store = 'ai-assets'): Record<string, any> {
  const file = join(dir, store, 'ai-assets.lock.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
}

/** Lines of a provider log written by fixtures/cli-basic's custom provider. */
export function providerLog(file: string): { asset: string, variants: number }[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line)) : []
}

/**
 * The Runware fake of a describe block, started before its tests, reset
 * before each and closed after them, with the environment the cli-runware
 * fixture reads its key and address from.
 */
export function useRunwareFake(key: string): { fake: FakeServer, env: Record<string, string> } {
  const served = {} as { fake: FakeServer, env: Record<string, string> }
  beforeAll(async () => {
    served.fake = await startRunwareFake(key)
    served.env = { RUNWARE_API_KEY: key, TEST_RUNWARE_URL: `${served.fake.url}/v1` }
  })
  afterAll(() => served.fake.close())
  beforeEach(() => served.fake.reset())
  return served
}
