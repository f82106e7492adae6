/**
 * The child imports the plugin from src/ (vite bundles its config), so that a
 * concurrent rebuild of dist/ cannot break it.
 *
 * Credentials never leave the environment: a real `vite build` in a child
 * process, with a key the fake rejects (and echoes back), then with the key it
 * accepts; everything the runs printed and wrote is searched for the values.
 * Also: Ctrl-C in the middle of a request leaves nothing in the store.
 */
import type { ProviderCase } from './setup'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { json } from '../fakes/server'
import { repoRoot } from '../helpers'
import { CASES, FAST, project, readLock, storeImages, useFake } from './setup'

interface Run { code: number | null, signal: NodeJS.Signals | null, output: string }

function viteBuildProcess(dir: string, env: Record<string, string>, onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  writeFileSync(join(dir, 'vite.config.mjs'), `import AiAssets from '${join(repoRoot, 'src/vite.ts')}'\nexport default { logLevel: 'info', plugins: [AiAssets({ frozen: false, dts: true })] }\n`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: dir, env: { ...process.env, ...env, CI: '' } })
    let output = ''
    child.stdout.on('data', (chunk) => { output += chunk })
    child.stderr.on('data', (chunk) => { output += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, output }))
    onStart?.(child)
  })
}

/** Every file below dir, as text. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n')
}

describe.each(CASES)('$name', (c: ProviderCase) => {
  const served = useFake(c, { env: false })
  const config = () => ({ provider: { name: c.name, baseURL: c.baseURL(served.fake), ...FAST }, assets: { hero: { prompt: 'A cozy cabin', size: '1024x1024' } } })

  it('keeps a rejected key out of everything printed and written', async () => {
    const wrong = Object.fromEntries(Object.entries(c.env).map(([name, value]) => [name, `${value}-REJECTED-${name.length}`]))
    if (c.name === 'cloudflare') {
      // Cloudflare's account id travels in the URL: a server that quotes the path must not leak it.
      const account = wrong.CLOUDFLARE_ACCOUNT_ID!
      served.fake.fail({ kind: 'reply', reply: json(403, { success: false, errors: [{ code: 10000, message: `Authentication error for /accounts/${account}/ai/run with token ${wrong.CLOUDFLARE_API_TOKEN}` }], messages: [], result: null }) })
    }
    const dir = project(config())
    const run = await viteBuildProcess(dir, wrong)
    expect(run.code).not.toBe(0)
    expect(run.output).toContain(`Provider "${c.name}"`)
    expect(run.output).toContain('could not generate "hero"')
    expect(run.output).toMatch(/HTTP 40[13]: /)
    // The fakes of Runware and Cloudflare quote the credentials back: they were cut out by name.
    if (c.name === 'runware')
      expect(run.output).toContain('Invalid API key: [RUNWARE_API_KEY]')
    if (c.name === 'cloudflare')
      expect(run.output).toContain('/accounts/[CLOUDFLARE_ACCOUNT_ID]/ai/run with token [CLOUDFLARE_API_TOKEN]')
    // The server did receive the key…
    expect(JSON.stringify(served.fake.apiRequests[0]!.headers)).toContain(Object.values(wrong).at(-1))
    // …and nothing the run printed or wrote contains it.
    const written = everything(dir)
    for (const value of Object.values(wrong)) {
      expect(run.output).not.toContain(value)
      expect(written).not.toContain(value)
    }
    expect(storeImages(dir)).toEqual([])
  })

  it('keeps an accepted key out of the store, lockfile, bundle, cache and logs', async () => {
    const dir = project(config())
    const run = await viteBuildProcess(dir, c.env)
    expect(run.code, run.output).toBe(0)
    expect(readLock(dir).hero.provider).toBe(c.name)
    expect(readdirSync(join(dir, 'dist/assets')).some(f => f.endsWith('.webp'))).toBe(true)
    const written = everything(dir)
    for (const value of Object.values(c.env)) {
      expect(run.output).not.toContain(value)
      expect(written).not.toContain(value)
    }
  })

  it('leaves no file in the store when interrupted with Ctrl-C mid-request', async () => {
    served.fake.fail({ kind: 'slow', ms: 10_000 })
    const dir = project(config())
    const started = Date.now()
    const run = await viteBuildProcess(dir, c.env, (child) => {
      const poll = setInterval(() => {
        if (served.fake.apiRequests.length > 0) {
          clearInterval(poll)
          child.kill('SIGINT')
        }
      }, 10)
    })
    // The request was in flight when the signal came, and the build died of it.
    expect(served.fake.apiRequests).toHaveLength(1)
    expect(run.code === 0).toBe(false)
    expect(Date.now() - started).toBeLessThan(9000)
    expect(storeImages(dir)).toEqual([])
    expect(readLock(dir)).toEqual({})
  })
})
