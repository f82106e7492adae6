/**
 * Real framework builds and dev servers, run in the installed fixtures of
 * `fixtures/frameworks/<name>/` (scripts/install-fixtures.mjs, called by the
 * test setup): helpers to run their CLIs, read image URLs out of the HTML they
 * render, and check that each URL is a file they emitted (or served) at the
 * size its srcset descriptor claims.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { expect } from 'vitest'
import { ensureChromium } from '../../scripts/find-browser.mjs'
import { decode, repoRoot } from '../helpers'

export const frameworksDir = join(repoRoot, 'fixtures', 'frameworks')

export function fixture(name: string): string {
  return join(frameworksDir, name)
}

/** The fixture's own binary (`astro`, `nuxi`, `vite`…). */
export function bin(dir: string, name: string): string {
  return join(dir, 'node_modules', '.bin', name)
}

/**
 * The environment of CI (`CI=true`: frozen builds), which the placeholder
 * provider builds under, without the variables of the test runner's own Vite.
 */
export function buildEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NODE_ENV: 'production', NUXT_TELEMETRY_DISABLED: '1', ASTRO_TELEMETRY_DISABLED: '1', ...extra }
  for (const name of Object.keys(env)) {
    if (name.startsWith('VITEST') || name === 'TEST' || name === 'VITE_CJS_IGNORE_WARNING')
      delete env[name]
  }
  return env
}

/** Runs a command to its end; rejects with everything it printed when it fails. */
export function run(command: string, args: string[], cwd: string, env = buildEnv()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => output += chunk)
    child.stderr.on('data', chunk => output += chunk)
    child.on('error', reject)
    child.on('close', code => code === 0
      ? resolve(output)
      : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)))
  })
}

/** Removes what earlier runs left (outputs, generated types), so that each test starts fresh. */
export function clean(dir: string, paths: string[]): void {
  for (const path of paths)
    rmSync(join(dir, path), { recursive: true, force: true })
}

/** A port the OS says is free, for CLIs that take a port but not port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface DevServer {
  url: string
  output: () => string
  close: () => Promise<void>
}

/** Starts a dev server and waits until it prints `ready` (a pattern whose first group is the URL). */
export function startDev(command: string, args: string[], cwd: string, ready: RegExp, env = buildEnv({ NODE_ENV: 'development' })): Promise<DevServer> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  const close = () => stop(child)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close()
      reject(new Error(`${command} ${args.join(' ')} did not get ready:\n${output}`))
    }, 90_000)
    const onData = (chunk: Buffer) => {
      // Without the colours that some CLIs print even into a pipe.
      // eslint-disable-next-line no-control-regex -- ANSI color codes start with ESC
      output += chunk.toString().replace(/\x1B\[[\d;]*m/g, '')
      const match = output.match(ready)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1]!, output: () => output, close })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

/** Ends the dev server and every process it started (its own process group). */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    try {
      process.kill(-child.pid!, 'SIGTERM')
    }
    catch {
      resolve()
    }
  })
}

export interface ImageRef {
  url: string
  /** The `w` descriptor of a srcset entry, if any. */
  width?: number
}

/** The `<img>`, `<picture>` and `<source>` tags of a page, one a line: what assertions on its images need to show. */
export function imageTags(html: string): string {
  return (html.match(/<(?:img|picture|source)\b[^>]*>/g) ?? []).join('\n')
}

/** Every image URL in the `src` and `srcset` attributes of `<img>` and `<source>` elements. */
export function imageRefs(html: string): ImageRef[] {
  const refs: ImageRef[] = []
  for (const tag of html.match(/<(?:img|source)\b[^>]*>/g) ?? []) {
    const src = tag.match(/\ssrc="([^"]+)"/)?.[1]
    if (src)
      refs.push({ url: decodeEntities(src) })
    const srcset = tag.match(/\ssrcset="([^"]+)"/)?.[1]
    for (const entry of srcset ? decodeEntities(srcset).split(',') : []) {
      const [url, descriptor] = entry.trim().split(/\s+/)
      refs.push({ url: url!, width: descriptor ? Number.parseInt(descriptor) : undefined })
    }
  }
  return refs
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#47;/g, '/')
}

/**
 * Each URL, under `base`, is a file of `outDir` that decodes at the width its
 * descriptor claims; gives the files. Fails on dev-server or `file://` URLs.
 */
export async function expectEmitted(outDir: string, refs: ImageRef[], base = '/'): Promise<string[]> {
  expect(refs.length, 'image URLs in the HTML').toBeGreaterThan(0)
  const files: string[] = []
  for (const { url, width } of refs) {
    expect(url, 'an image URL of the built page').toMatch(new RegExp(`^${base.replace(/[/.]/g, '\\$&')}[^:]+$`))
    expect(url).not.toContain('@ai-assets')
    const file = join(outDir, url.slice(base.length).split('?')[0]!)
    expect(existsSync(file), `${url} is emitted as ${file}`).toBe(true)
    const image = await decode(file)
    if (width !== undefined)
      expect(image.width, `${url} is ${width} px wide`).toBe(width)
    files.push(file)
  }
  return files
}

/** Each URL answers 200 from the dev server with an image of the width its descriptor claims. */
export async function expectServed(origin: string, refs: ImageRef[]): Promise<void> {
  expect(refs.length, 'image URLs in the HTML').toBeGreaterThan(0)
  for (const { url, width } of refs) {
    expect(url).not.toMatch(/^file:/)
    const response = await fetch(new URL(url, origin))
    expect(response.status, `GET ${url}`).toBe(200)
    const image = await decode(Buffer.from(await response.arrayBuffer()))
    if (width !== undefined)
      expect(image.width, `${url} is ${width} px wide`).toBe(width)
  }
}

export function read(file: string): string {
  return readFileSync(file, 'utf8')
}

/**
 * The page's markup once a headless Chromium (scripts/find-browser.mjs) has
 * rendered it and loaded its images: for dev servers that render in the
 * browser (VitePress).
 */
export async function renderInBrowser(url: string, selector: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'ai-assets-chromium-'))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: ensureChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await browser.newPage()
    await page.goto(url, { waitUntil: 'networkidle', timeout: 90_000 })
    await page.waitForSelector(selector, { timeout: 60_000 })
    return await page.content()
  }
  finally {
    await browser.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

/**
 * Type-checks a project of the fixture with the repository's tsc, once, with
 * extra files written for the run (and removed after): gives the files that
 * have errors, as tsc names them, and its output. One run proves both sides:
 * the fixture's own files type-check, the extra ones fail.
 */
export function typeErrors(dir: string, project: string, extra: Record<string, string> = {}): { files: string[], output: string } {
  for (const [file, text] of Object.entries(extra))
    writeFileSync(join(dir, file), text)
  try {
    const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', project], { cwd: dir, encoding: 'utf8' })
    const output = `${result.stdout}${result.stderr}`
    const files = [...new Set([...output.matchAll(/^(\S+?)\(\d+,\d+\): error TS/gm)].map(match => match[1]!))].sort()
    return { files, output }
  }
  finally {
    for (const file of Object.keys(extra))
      rmSync(join(dir, file), { force: true })
  }
}

/** A module importing an asset name that no config declares. */
export const MISSPELLED = `import hero from '~ai-assets/heor'\nexport const width: number = hero.width\n`
