/**
 * scripts/find-browser.mjs on real files in a scratch folder: which Chromium
 * it picks, that a wrong variable is an error rather than passed over, and
 * which installers it would run where. (Installing is not run here.)
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureChromium, findChromium, installPlan } from '../../scripts/find-browser.mjs'

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'find-browser-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

/** A file at `path` below home, executable unless told otherwise. */
function file(path: string, executable = true): string {
  const full = join(home, path)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, '#!/bin/sh\n')
  chmodSync(full, executable ? 0o755 : 0o644)
  return full
}

describe('findChromium', () => {
  it('takes AI_ASSETS_CHROMIUM first, then CHROME_PATH', () => {
    const mine = file('mine/chrome')
    const other = file('other/chrome')
    expect(findChromium({ env: { AI_ASSETS_CHROMIUM: mine, CHROME_PATH: other } })).toBe(mine)
    expect(findChromium({ env: { CHROME_PATH: other } })).toBe(other)
  })

  it('says so when a variable names no executable, instead of looking elsewhere', () => {
    expect(() => findChromium({ env: { AI_ASSETS_CHROMIUM: join(home, 'missing') } }))
      .toThrow(/^AI_ASSETS_CHROMIUM=.*missing is not an executable file\. Set it to the path of a Chromium or Chrome, or unset it/)
    const plain = file('plain', false)
    expect(() => findChromium({ env: { CHROME_PATH: plain } })).toThrow(/^CHROME_PATH=.*plain is not an executable file/)
  })

  it('finds the newest Chromium Playwright downloaded on macOS, in either layout', () => {
    const caches = 'Library/Caches/ms-playwright'
    file(`${caches}/chromium-1100/chrome-mac/Chromium.app/Contents/MacOS/Chromium`)
    const newest = file(`${caches}/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing`)
    file(`${caches}/firefox-1300/firefox/firefox`)
    expect(findChromium({ env: {}, platform: 'darwin', home })).toBe(newest)
  })

  it('skips a file that is not executable, and honours PLAYWRIGHT_BROWSERS_PATH', () => {
    const app = 'chrome-mac/Chromium.app/Contents/MacOS/Chromium'
    file(`browsers/chromium-1300/${app}`, false)
    const usable = file(`browsers/chromium-1200/${app}`)
    file(`Library/Caches/ms-playwright/chromium-1400/${app}`)
    expect(findChromium({ env: { PLAYWRIGHT_BROWSERS_PATH: join(home, 'browsers') }, platform: 'darwin', home })).toBe(usable)
  })

  it('without install, fails with one message saying where it looked and what to do', () => {
    expect(() => ensureChromium({ install: false, env: {}, platform: 'darwin', home }))
      .toThrow(/^No Chromium for the browser tests: looked in AI_ASSETS_CHROMIUM, CHROME_PATH and \/Applications\/Google Chrome\.app.*\. Run `node scripts\/find-browser\.mjs` to install one, or set AI_ASSETS_CHROMIUM/)
  })
})

describe('installPlan', () => {
  const titles = (machine: Parameters<typeof installPlan>[0]) => installPlan(machine).map(way => way.title)

  it('as root on Debian or Ubuntu: apt-get (again after an update), then Playwright', () => {
    const plan = installPlan({ platform: 'linux', root: true, debian: true })
    expect(plan.map(way => way.title)).toEqual(['Debian\'s chromium package', 'Playwright\'s Chromium'])
    expect(plan[0]!.attempts).toEqual([[['apt-get', 'install', '-y', 'chromium']], [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']]])
    expect(plan[1]!.attempts).toEqual([[['npx', '--yes', 'playwright-core', 'install', 'chromium']]])
  })

  it('elsewhere: Playwright only', () => {
    expect(titles({ platform: 'linux', root: false, debian: true })).toEqual(['Playwright\'s Chromium'])
    expect(titles({ platform: 'linux', root: true, debian: false })).toEqual(['Playwright\'s Chromium'])
    expect(titles({ platform: 'darwin', root: true })).toEqual(['Playwright\'s Chromium'])
  })
})
