/**
 * Locks left behind: a dead holder on this host is taken over at once; a
 * holder on another host is waited for with a message, and taken over once
 * it stops refreshing its lock. Never a silent 30 s stall.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { cli, providerLog, readLock } from '../cli/cli'
import { copyFixture } from '../helpers'

/** A pid that is certainly not running: a process that already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
}

function leaveLock(store: string, name: string, owner: { pid: number, host: string }, refreshedSecondsAgo = 0): string {
  const dir = join(store, '.locks', `${name}.lock`)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'owner.json')
  writeFileSync(file, JSON.stringify({ ...owner, started: '2026-01-01T00:00:00.000Z', token: 'left-behind' }))
  const then = new Date(Date.now() - refreshedSecondsAgo * 1000)
  utimesSync(file, then, then)
  return dir
}

async function setup() {
  const dir = copyFixture('cli-basic')
  const log = join(dir, 'provider.log')
  const env = { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log }
  expect((await cli(dir, ['generate', 'hero'], env)).code).toBe(0)
  return { dir, log, env, store: join(dir, 'ai-assets'), key: readLock(dir).hero.key as string }
}

describe('locks left behind', () => {
  it('by a dead process on this host: taken over at once, with a message', async () => {
    const { dir, log, env, store, key } = await setup()
    const pid = deadPid()
    leaveLock(store, key, { pid, host: hostname() })
    leaveLock(store, 'lockfile', { pid, host: hostname() })
    const run = await cli(dir, ['generate', 'hero', '--force'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`taking over the lock on "hero" left by pid ${pid} on host ${hostname()}, which is no longer running`)
    expect(run.stderr).toContain(`taking over the lock on the lockfile`)
    expect(run.stderr).not.toContain('waiting for the lock')
    expect(providerLog(log)).toHaveLength(2)
  })

  it('by a silent holder on another host: taken over, saying so', async () => {
    const { dir, env, store, key } = await setup()
    leaveLock(store, key, { pid: 4242, host: 'build-agent-7' }, 60)
    const run = await cli(dir, ['generate', 'hero', '--force'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('taking over the lock on "hero" left by pid 4242 on host build-agent-7, which has not refreshed it for 10 s')
  })

  it('by a live holder on another host: waited for, announced, then taken when released', async () => {
    const { dir, log, env, store, key } = await setup()
    const lock = leaveLock(store, key, { pid: 4242, host: 'build-agent-7' })
    const running = cli(dir, ['generate', 'hero', '--force'], env)
    // The holder keeps its lock fresh for a while, then releases it.
    for (let i = 0; i < 6; i++) {
      await sleep(500)
      const now = new Date()
      utimesSync(join(lock, 'owner.json'), now, now)
    }
    expect(providerLog(log)).toHaveLength(1)
    // Released as the store's locks are: moved aside in one rename, then removed.
    renameSync(lock, `${lock}.gone`)
    rmSync(`${lock}.gone`, { recursive: true })
    const run = await running
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('waiting for the lock on "hero" held by pid 4242 on host build-agent-7 (since 2026-01-01T00:00:00.000Z)…')
    expect(run.stderr).not.toContain('taking over')
    expect(providerLog(log)).toHaveLength(2)
  })
})
