/**
 * The one setup every provider test shares, the way unstorage runs one suite
 * for every driver: each provider as a case (its fake and credentials), a
 * running fake per describe block (`useFake`), a project (fixtures/providers)
 * whose config points the provider at it, and what a build left in the store.
 * The suites of what every provider must do (faults, paid calls, redirects,
 * timeouts, decoding, secrets, spend, sizes) run `describe.each(CASES)`; each
 * provider's own wire format is checked in its own file.
 */
import type { FakeServer } from '../fakes/server'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { createPipeline } from '../../src/core/pipeline'
import { startCloudflareFake } from '../fakes/cloudflare'
import { startRecraftFake } from '../fakes/recraft'
import { startRunwareFake } from '../fakes/runware'
import { copyFixture, viteBuild } from '../helpers'

export interface ProviderCase {
  name: 'cloudflare' | 'runware' | 'recraft'
  env: Record<string, string>
  start: () => Promise<FakeServer>
  baseURL: (fake: FakeServer) => string
  /** Settings that make it answer with URLs (so that download faults apply). */
  urlSettings: Record<string, unknown>
}

export const CASES: ProviderCase[] = [
  {
    name: 'cloudflare',
    env: { CLOUDFLARE_ACCOUNT_ID: '3f9c2a7be1d04c58a6e2b9d17c0f4e81', CLOUDFLARE_API_TOKEN: 'Xq7vN2pLr8TzK4wYc9HdJ6mBf3GsA5eU1oRiW0tQ' },
    start: () => startCloudflareFake({ accountId: '3f9c2a7be1d04c58a6e2b9d17c0f4e81', token: 'Xq7vN2pLr8TzK4wYc9HdJ6mBf3GsA5eU1oRiW0tQ' }),
    baseURL: fake => `${fake.url}/client/v4`,
    urlSettings: {},
  },
  {
    name: 'runware',
    env: { RUNWARE_API_KEY: 'rw-key-SECRET-8c41e7' },
    start: () => startRunwareFake('rw-key-SECRET-8c41e7'),
    baseURL: fake => `${fake.url}/v1`,
    urlSettings: { outputType: 'URL' },
  },
  {
    name: 'recraft',
    env: { RECRAFT_API_TOKEN: 'rc-token-SECRET-a93b10' },
    start: () => startRecraftFake('rc-token-SECRET-a93b10'),
    baseURL: fake => `${fake.url}/v1`,
    urlSettings: { responseFormat: 'url' },
  },
]

export function caseOf(name: ProviderCase['name']): ProviderCase {
  return CASES.find(c => c.name === name)!
}

export interface ServedFake {
  /** The running fake; read it inside tests and hooks. */
  readonly fake: FakeServer
}

/**
 * Starts the case's fake for the enclosing describe block (or the file), with
 * its credentials in the environment unless `env: false`; resets it before
 * each test and closes it after the last.
 */
export function useFake(c: ProviderCase, options: { env?: boolean } = {}): ServedFake {
  let fake: FakeServer | undefined
  beforeAll(async () => {
    if (options.env !== false)
      useEnv(c.env)
    fake = await c.start()
  })
  afterAll(() => fake?.close())
  beforeEach(() => fake!.reset())
  return {
    get fake() {
      return fake!
    },
  }
}

/** Retries without waiting, so that fault tests stay fast. */
export const FAST = { retryDelay: 1, timeout: 5000 }

export interface ProjectOptions {
  provider: Record<string, unknown>
  assets: Record<string, Record<string, unknown>>
  palettes?: Record<string, unknown>
  defaults?: Record<string, unknown>
  /** Asset names main.js imports. @default every asset */
  imports?: string[]
}

/** A copy of fixtures/providers with this config, importing these assets. */
export function project(options: ProjectOptions): string {
  const dir = copyFixture('providers')
  const config = {
    provider: options.provider,
    palettes: options.palettes,
    defaults: { widths: [64], formats: ['webp'], ...options.defaults },
    assets: options.assets,
  }
  writeFileSync(join(dir, 'assets.config.ts'), `export default ${JSON.stringify(config, null, 2)}\n`)
  const names = options.imports ?? Object.keys(options.assets)
  writeFileSync(join(dir, 'src/main.js'), `${names.map((name, i) => `import a${i} from '~ai-assets/${name}'`).join('\n')}\nconsole.log(${names.map((_, i) => `a${i}`).join(', ')})\n`)
  return dir
}

/** A vite build of the project that must fail: its error message. */
export async function buildError(dir: string, options: Parameters<typeof viteBuild>[1] = {}): Promise<string> {
  try {
    await viteBuild(dir, { dts: false, ...options })
  }
  catch (error) {
    return (error as Error).message
  }
  throw new Error('the build succeeded but should have failed')
}

export const build = (dir: string, options: Parameters<typeof viteBuild>[1] = {}) => viteBuild(dir, { dts: false, ...options })

/** Image files in the store (everything but the lockfile and the git-ignored `.locks/`); [] when there is no store. */
export function storeImages(dir: string): string[] {
  const store = join(dir, 'ai-assets')
  if (!existsSync(store))
    return []
  return readdirSync(store, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && entry.name !== 'ai-assets.lock.json' && !entry.parentPath.startsWith(join(store, '.locks')))
    .map(entry => entry.name)
}

export function readLock(dir: string): Record<string, any> {
  const file = join(dir, 'ai-assets', 'ai-assets.lock.json')
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
}

/** Sets the variables for the whole test file (each test file runs in its own process). */
export function useEnv(env: Record<string, string>): void {
  Object.assign(process.env, env)
}

/** The requests that ask the provider for new images, the ones it bills (not Runware's getResponse polls). */
export function paidCalls(fake: FakeServer) {
  return fake.apiRequests.filter(r => !Array.isArray(r.json) || r.json[0]?.taskType === 'imageInference')
}

/** Generates one asset through the pipeline (no bundler): what it rejected with, or undefined. */
export async function generateError(dir: string, asset = 'hero'): Promise<string | undefined> {
  const pipeline = createPipeline({ root: dir, frozen: false, warn: () => {} })
  return pipeline.original(asset).then(() => undefined, (error: Error) => error.message)
}
