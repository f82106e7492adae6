import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { copyFixture, decode, listFiles, viteBuild } from '../helpers'

const saved = process.env.RUNWARE_API_KEY
beforeEach(() => {
  delete process.env.RUNWARE_API_KEY
})
afterEach(() => {
  process.env.RUNWARE_API_KEY = saved
  vi.restoreAllMocks()
})

describe('a network provider without credentials', () => {
  it('builds with a placeholder, warns naming the variable, and stores nothing', async () => {
    const root = copyFixture('no-credentials')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const dist = await viteBuild(root)
    const image = listFiles(dist).find(f => /^assets\/hero-200\.[0-9a-f]{8}\.webp$/.test(f))
    expect(image).toBeDefined()
    expect(await decode(join(dist, image!))).toEqual({ width: 200, height: 100, format: 'webp' })
    const warnings = warn.mock.calls.map(call => String(call[0]))
    expect(warnings).toEqual([expect.stringMatching(/RUNWARE_API_KEY is not set, so provider "runware" cannot generate "hero": using an offline placeholder \(never stored\)/)])
    expect(existsSync(join(root, 'ai-assets'))).toBe(false)
  })

  it('fails naming the variable with placeholders: \'error\'', async () => {
    const root = copyFixture('no-credentials')
    const error = await viteBuild(root, { placeholders: 'error' }).catch(e => e as Error)
    expect((error as Error).message).toMatch(/RUNWARE_API_KEY is not set, so provider "runware" cannot generate "hero"\. Set RUNWARE_API_KEY in the environment/)
  })

  it('builds silently with placeholders: allow', async () => {
    const root = copyFixture('no-credentials')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await viteBuild(root, { placeholders: 'allow' })
    expect(warn.mock.calls.filter(call => String(call[0]).includes('RUNWARE_API_KEY'))).toEqual([])
  })

  it('fails in a frozen run rather than fall back', async () => {
    const root = copyFixture('no-credentials')
    const error = await viteBuild(root, { frozen: true }).catch(e => e as Error)
    expect((error as Error).message).toMatch(/Frozen run[\s\S]*- hero: missing/)
  })
})
