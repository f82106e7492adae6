import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { LOCKFILE_NAME } from '../../src/core/lockfile'
import { copyFixture, repoRoot } from '../helpers'

function run(root: string, names: string[]): { child: ChildProcess, done: Promise<{ code: number | null, output: string }> } {
  const child = spawn(process.execPath, ['generate.mjs', ...names], {
    cwd: root,
    env: { ...process.env, CI: '', CALLS_LOG: join(root, 'calls.log'), REPO_ROOT: repoRoot },
  })
  let output = ''
  child.stdout!.on('data', (chunk) => { output += chunk })
  child.stderr!.on('data', (chunk) => { output += chunk })
  return { child, done: new Promise(resolve => child.on('exit', code => resolve({ code, output }))) }
}

const calls = (root: string) => readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n').map(line => line.split(' ')[1]).sort()
const lock = (root: string) => JSON.parse(readFileSync(join(root, 'ai-assets', LOCKFILE_NAME), 'utf8'))

describe('processes sharing a store', () => {
  it('never pay twice for one key, and keep every entry of the lockfile', async () => {
    const root = copyFixture('shared-store')
    const [one, two] = [run(root, ['a', 'b', 'c']), run(root, ['c', 'b', 'a'])]
    const results = await Promise.all([one.done, two.done])
    expect(results.map(r => r.code), results.map(r => r.output).join('\n')).toEqual([0, 0])
    expect(calls(root)).toEqual(['a', 'b', 'c'])
    const entries = lock(root)
    expect(Object.keys(entries)).toEqual(['a', 'b', 'c'])
    for (const entry of Object.values<{ file: string, sha256: string }>(entries))
      expect(sha256(readFileSync(join(root, 'ai-assets', entry.file)))).toBe(entry.sha256)
  })

  it('a run killed mid-way leaves no partial file, and a rerun generates only what is missing', async () => {
    const root = copyFixture('shared-store')
    const first = run(root, ['a', 'd'])
    await expect.poll(() => {
      try { return Object.keys(lock(root)) }
      catch { return [] }
    }, { timeout: 20_000 }).toEqual(['a'])
    first.child.kill('SIGINT')
    await first.done
    const store = readdirSync(join(root, 'ai-assets')).filter(name => name !== '.locks')
    expect(store.sort()).toEqual([LOCKFILE_NAME, lock(root).a.file].sort())

    const rerun = await run(root, ['a', 'b']).done
    expect(rerun.code, rerun.output).toBe(0)
    expect(calls(root)).toEqual(['a', 'b', 'd'])
  })
})
