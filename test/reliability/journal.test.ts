/**
 * The journal a killed run leaves, as the next run finds it: an image that
 * reached the store is adopted, not paid again; a call that was still out is
 * announced as possibly billed and generated again; a journal of a key the
 * lockfile already records is dropped.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, providerLog, readLock } from '../cli/cli'
import { copyFixture } from '../helpers'

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)

/** hero generated, then its lock entry removed, as if the run had been killed before recording it. */
async function killedBeforeRecording() {
  const dir = copyFixture('cli-basic')
  const log = join(dir, 'provider.log')
  const env = { TEST_PROVIDER_KEY: 'k', TEST_PROVIDER_LOG: log, TEST_PROVIDER_COST: '0.05' }
  expect((await cli(dir, ['generate', 'hero', 'icons/bolt'], env)).code).toBe(0)
  const lockPath = join(dir, 'ai-assets', 'ai-assets.lock.json')
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'))
  const entry = lock.hero
  delete lock.hero
  writeFileSync(lockPath, JSON.stringify(lock))
  const journal = join(dir, 'ai-assets', '.locks', `${entry.key}.journal.json`)
  const record = { key: entry.key, asset: 'hero', pid: deadPid(), host: hostname(), started: '2026-01-01T00:00:00.000Z' }
  return { dir, log, env, entry, journal, record }
}

describe('the journal of a killed run', () => {
  it('adopts an image that reached the store: no new call, the same entry', async () => {
    const { dir, log, env, entry, journal, record } = await killedBeforeRecording()
    writeFileSync(journal, JSON.stringify({ ...record, entry }))
    const run = await cli(dir, ['generate', 'hero'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`"hero": adopting ${entry.file}, which a run (pid ${record.pid} on host ${hostname()}, started 2026-01-01T00:00:00.000Z) paid for and stored but was stopped before recording it.`)
    expect(providerLog(log)).toHaveLength(2)
    expect(readLock(dir).hero).toEqual(entry)
    expect(existsSync(journal)).toBe(false)
  })

  it('does not adopt an image whose bytes are not the journal\'s: it says the call may have been billed, and pays again', async () => {
    const { dir, log, env, entry, journal, record } = await killedBeforeRecording()
    writeFileSync(journal, JSON.stringify({ ...record, entry: { ...entry, sha256: '0'.repeat(64) } }))
    const run = await cli(dir, ['generate', 'hero'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`"hero": a run (pid ${record.pid} on host ${hostname()}, started 2026-01-01T00:00:00.000Z) was stopped while generating it; that call may have been billed, but nothing usable was stored. Generating it again.`)
    expect(providerLog(log)).toHaveLength(3)
    expect(existsSync(journal)).toBe(false)
  })

  it('announces a call that was still out, and generates again', async () => {
    const { dir, log, env, journal, record } = await killedBeforeRecording()
    writeFileSync(journal, JSON.stringify(record))
    const run = await cli(dir, ['generate', 'hero'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('that call may have been billed')
    expect(providerLog(log)).toHaveLength(3)
    expect(existsSync(journal)).toBe(false)
  })

  it('is dropped once the lockfile records its image', async () => {
    const { dir, log, env, journal, record } = await killedBeforeRecording()
    expect((await cli(dir, ['generate', 'hero'], env)).code).toBe(0)
    // Killed after recording, before removing its journal.
    writeFileSync(journal, JSON.stringify({ ...record, entry: readLock(dir).hero }))
    const run = await cli(dir, ['generate'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(journal)).toBe(false)
    // hero and icons/bolt, hero again (its entry was removed), then logo: nothing for the journal.
    expect(providerLog(log).map(call => call.asset).sort()).toEqual(['hero', 'hero', 'icons/bolt', 'logo'])
  })
})
