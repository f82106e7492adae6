import type { BrowserContext } from 'playwright-core'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureChromium } from '../../scripts/find-browser.mjs'
import { copyFixture, decode, edit } from '../helpers'
import { cli } from './cli'

const env = { TEST_PROVIDER_KEY: 'k' }

describe('preview', () => {
  let browser: BrowserContext
  let profile: string
  beforeAll(async () => {
    // The machine's Chromium (installed first when there is none), with a fresh profile.
    const executablePath = ensureChromium()
    profile = mkdtempSync(join(tmpdir(), 'ai-assets-chromium-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    })
  }, 600_000) // an install of Chromium takes minutes
  afterAll(async () => {
    await browser?.close()
    if (profile)
      rmSync(profile, { recursive: true, force: true })
  })

  it('writes one self-contained contact sheet that opens from disk in Chromium, every image loaded', async () => {
    const dir = copyFixture('cli-basic')
    expect((await cli(dir, ['generate'], { ...env, TEST_PROVIDER_COST: '0.04' })).code).toBe(0)
    // One stale asset (its old image is shown), one never generated (its placeholder is shown).
    edit(join(dir, 'assets.config.ts'), text => text
      .replace('A cozy cabin in the woods', 'A cozy cabin in the <snowy> woods & hills')
      .replace(`'icons/bolt': {`, `'icons/leaf': { prompt: 'A leaf icon', palette: { colors: ['#22c55e'], background: '#ecfdf5' }, size: '256x256' },\n    'icons/bolt': {`))

    const { code, stdout, stderr } = await cli(dir, ['preview', '--out', 'review/sheet.html'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('Wrote review/sheet.html: 4 assets, 6 images.')
    const file = join(dir, 'review', 'sheet.html')
    const html = readFileSync(file, 'utf8')
    // Self-contained: no URL but data: ones.
    expect(html).not.toMatch(/(?:src|href)="(?!data:)/)
    expect(html).not.toMatch(/url\((?!data:)/)
    expect(html).toContain('A cozy cabin in the &lt;snowy&gt; woods &amp; hills')
    expect(statSync(file).size).toBeLessThan(400_000)

    const page = await browser.newPage()
    const requests: string[] = []
    page.on('request', request => requests.push(request.url()))
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    const images = await page.$$eval('img', imgs => imgs.map(img => ({ alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight })))
    expect(images).toHaveLength(6)
    for (const image of images) {
      expect(image.complete, image.alt).toBe(true)
      expect(image.width, image.alt).toBeGreaterThan(0)
    }
    // Thumbnails keep the aspect ratio: the hero is 2:1.
    const hero = images.find(image => image.alt.startsWith('hero'))!
    expect(hero.width / hero.height).toBeCloseTo(2, 1)
    // Nothing was fetched but the page itself and its data: URLs.
    expect(requests.filter(url => !url.startsWith('data:') && url !== pathToFileURL(file).href)).toEqual([])

    const cards = await page.$$eval('article', articles => articles.map(article => ({
      id: article.id,
      status: article.querySelector('.status')?.textContent,
      swatches: [...article.querySelectorAll('.swatch')].map(swatch => swatch.getAttribute('title')),
      text: article.textContent ?? '',
      picked: article.querySelectorAll('figure.picked').length,
      figures: article.querySelectorAll('figure').length,
    })))
    expect(cards.map(card => [card.id, card.status])).toEqual([['hero', 'stale'], ['logo', 'fresh'], ['icons/leaf', 'missing'], ['icons/bolt', 'fresh']])
    const [heroCard, logoCard, leafCard] = cards
    expect(heroCard!.text).toContain('prompt changed')
    expect(heroCard!.swatches).toEqual(['#ff6b35', '#002b5b', 'background #f5f5f5'])
    expect(heroCard!.text).toContain('768×384')
    expect(heroCard!.text).toContain('solid')
    expect(heroCard!.text).toContain('$0.04')
    expect(logoCard!.figures).toBe(3)
    expect(logoCard!.picked).toBe(1)
    expect(logoCard!.text).toContain('$0.12')
    expect(logoCard!.text).toContain('npx ai-assets pick logo N')
    expect(leafCard!.text).toContain('not generated yet: offline placeholder')
    expect(leafCard!.swatches).toEqual(['#22c55e', 'background #ecfdf5'])

    // Set AI_ASSETS_SCREENSHOT to keep it somewhere to look at.
    const screenshot = process.env.AI_ASSETS_SCREENSHOT ?? join(dir, 'preview.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    const shot = await decode(screenshot)
    expect(shot.width).toBe(1280)
    expect(shot.height).toBeGreaterThan(400)
    await page.close()
  })

  it('writes ai-assets-preview.html by default, drawing placeholders without credentials', async () => {
    const dir = copyFixture('cli-basic')
    const { code, stdout } = await cli(dir, ['preview'])
    expect(code).toBe(0)
    expect(stdout).toContain('Wrote ai-assets-preview.html: 3 assets, 3 images.')
    const page = await browser.newPage()
    await page.goto(pathToFileURL(join(dir, 'ai-assets-preview.html')).href)
    const widths = await page.$$eval('img', imgs => imgs.map(img => img.naturalWidth))
    expect(widths).toHaveLength(3)
    expect(widths.every(width => width > 0)).toBe(true)
    await page.close()
  })
})
