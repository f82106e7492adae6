/**
 * Finds a Chromium for the tests that open a real browser, and installs one
 * when there is none, so that `npm test` on a fresh clone needs nothing set up
 * by hand.
 *
 *   node scripts/find-browser.mjs            prints the path, installing Chromium if none is found
 *   node scripts/find-browser.mjs --no-install   prints the path, or fails
 *
 * Where it looks, in order: `AI_ASSETS_CHROMIUM`, `CHROME_PATH`; the system's
 * Chromium or Chrome (Debian, Ubuntu, Fedora, macOS, Windows); the Chromium
 * that this project's playwright-core downloads, then any other Playwright
 * has downloaded (`~/.cache/ms-playwright`, `~/Library/Caches/ms-playwright`,
 * `%LOCALAPPDATA%\ms-playwright`, or `PLAYWRIGHT_BROWSERS_PATH`).
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Variables naming a browser; the first one set wins, and must lead to an executable. */
export const BROWSER_VARIABLES = ['AI_ASSETS_CHROMIUM', 'CHROME_PATH']

const SYSTEM_BROWSERS = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
}

/** Where Playwright's Chromium sits inside its `chromium-<revision>` folder, by platform (old and new layouts). */
const PLAYWRIGHT_EXECUTABLES = {
  linux: ['chrome-linux64/chrome', 'chrome-linux/chrome'],
  darwin: [
    'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
  ],
  win32: ['chrome-win64\\chrome.exe', 'chrome-win\\chrome.exe'],
}

/**
 * @typedef {object} Environment
 * @property {Record<string, string | undefined>} [env] Where the variables are read. @default process.env
 * @property {NodeJS.Platform} [platform] @default process.platform
 * @property {string} [home] @default os.homedir()
 */

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK)
    return true
  }
  catch {
    return false
  }
}

/** Folders where Playwright keeps the browsers it downloads. */
export function playwrightCaches({ env = process.env, platform = process.platform, home = homedir() } = {}) {
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0')
    return [env.PLAYWRIGHT_BROWSERS_PATH]
  if (platform === 'darwin')
    return [join(home, 'Library', 'Caches', 'ms-playwright')]
  if (platform === 'win32')
    return [join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'ms-playwright')]
  return [join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'ms-playwright')]
}

/** The Chromium this project's playwright-core would download, whether or not it is there. */
function playwrightOwnChromium() {
  try {
    return createRequire(import.meta.url)('playwright-core').chromium.executablePath()
  }
  catch {
    return undefined
  }
}

/** Every candidate path, in the order they are tried (variables excluded). */
export function candidates({ env = process.env, platform = process.platform, home = homedir() } = {}) {
  const downloaded = playwrightCaches({ env, platform, home }).flatMap((cache) => {
    const revisions = existsSync(cache) ? readdirSync(cache).filter(name => /^chromium-\d+$/.test(name)) : []
    // Newest revision first.
    revisions.sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]))
    return revisions.flatMap(revision => (PLAYWRIGHT_EXECUTABLES[platform] ?? []).map(file => join(cache, revision, file)))
  })
  const own = platform === process.platform ? playwrightOwnChromium() : undefined
  return [...(SYSTEM_BROWSERS[platform] ?? []), ...(own ? [own] : []), ...downloaded]
}

/**
 * The path of a Chromium, or undefined when there is none. Throws when a
 * variable names a browser that is not there: a setting that is wrong should
 * say so, not be passed over.
 * @param {Environment} [environment]
 * @returns {string | undefined}
 */
export function findChromium(environment = {}) {
  const env = environment.env ?? process.env
  for (const name of BROWSER_VARIABLES) {
    const value = env[name]
    if (!value)
      continue
    if (!isExecutable(value))
      throw new Error(`${name}=${value} is not an executable file. Set it to the path of a Chromium or Chrome, or unset it to let the tests look for one.`)
    return value
  }
  return candidates(environment).find(isExecutable)
}

/** Whether this machine is Debian or Ubuntu (or derived from them), by /etc/os-release. */
function isDebianLike() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8')
    return /^(?:ID|ID_LIKE)=.*\b(?:debian|ubuntu)\b/m.test(release)
  }
  catch {
    return existsSync('/etc/debian_version')
  }
}

/**
 * How a Chromium can be installed here, in the order they are tried: Debian's
 * package when this is Debian or Ubuntu and we are root (retried after
 * `apt-get update`: a fresh container has no package lists), then
 * Playwright's own download (laptops have the internet; it needs no root).
 * Each way is a list of attempts; an attempt is commands run one after another.
 * @param {{ platform?: NodeJS.Platform, root?: boolean, debian?: boolean }} [machine]
 * @returns {{ title: string, attempts: string[][][] }[]}
 */
export function installPlan({ platform = process.platform, root = process.getuid?.() === 0, debian = platform === 'linux' && isDebianLike() } = {}) {
  const apt = ['apt-get', 'install', '-y', 'chromium']
  return [
    ...(platform === 'linux' && debian && root ? [{ title: 'Debian\'s chromium package', attempts: [[apt], [['apt-get', 'update'], apt]] }] : []),
    { title: 'Playwright\'s Chromium', attempts: [[['npx', '--yes', 'playwright-core', 'install', 'chromium']]] },
  ]
}

const run = ([command, ...args]) => spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' }).status === 0

/**
 * Installs a Chromium and gives its path, or throws one message saying what
 * was tried and what to do.
 * @param {{ log?: (line: string) => void } & Environment} [options]
 * @returns {string}
 */
export function installChromium(options = {}) {
  const log = options.log ?? (line => console.error(line))
  const tried = []
  for (const { title, attempts } of installPlan()) {
    const shown = attempts.at(-1).map(command => command.join(' ')).join(' && ')
    log(`No Chromium found: installing ${title} (${shown})…`)
    const ran = attempts.some(commands => commands.every(run))
    const found = findChromium(options)
    if (found)
      return found
    tried.push(`${title} (\`${shown}\`) ${ran ? 'ran, but no Chromium was found after it' : 'failed'}`)
  }
  throw new Error(`No Chromium for the browser tests, and installing one did not work: ${tried.join('; ')}. Install Chromium or Chrome, or set AI_ASSETS_CHROMIUM to the path of one.`)
}

/**
 * A Chromium's path: found, or installed when `install` (the default).
 * @param {{ install?: boolean, log?: (line: string) => void } & Environment} [options]
 * @returns {string}
 */
export function ensureChromium(options = {}) {
  const found = findChromium(options)
  if (found)
    return found
  if (options.install === false)
    throw new Error(`No Chromium for the browser tests: looked in ${BROWSER_VARIABLES.join(', ')} and ${candidates(options).join(', ')}. Run \`node scripts/find-browser.mjs\` to install one, or set AI_ASSETS_CHROMIUM to the path of one.`)
  return installChromium(options)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureChromium({ install: !process.argv.includes('--no-install') }))
  }
  catch (error) {
    console.error(error.message)
    process.exitCode = 1
  }
}
