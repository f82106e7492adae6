#!/usr/bin/env node
/**
 * Installs the framework fixtures (`fixtures/frameworks/<name>/`), each with its
 * own package.json and lockfile, once: a fixture is installed again only when
 * its package.json or package-lock.json changed since the stamp its last
 * install left in its node_modules. Then each fixture's
 * `node_modules/unplugin-ai-assets` is pointed at this repository (whose dist/
 * the test setup builds), so that the frameworks load what users get.
 *
 * `npm install`, not `npm ci`: ci refuses lockfiles whose other platforms'
 * optional binaries this registry lacks. Run by test/global-setup.ts, or by hand:
 * `node scripts/install-fixtures.mjs [names…]`.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const fixturesDir = join(repoRoot, 'fixtures', 'frameworks')
const STAMP = '.ai-assets-fixture-stamp'
// Installs mostly wait on the network and the disk; more at once only thrash a small machine.
const PARALLEL = 3

function fixtureNames() {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter(entry => entry.isDirectory() && existsSync(join(fixturesDir, entry.name, 'package.json')))
    .map(entry => entry.name)
    .sort()
}

/** What an install depends on: the manifest and the lockfile (absent before the first install). */
function fingerprint(dir) {
  const hash = createHash('sha256')
  for (const file of ['package.json', 'package-lock.json'])
    hash.update(existsSync(join(dir, file)) ? readFileSync(join(dir, file)) : `no ${file}`)
  return hash.digest('hex')
}

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => output += chunk)
    child.stderr.on('data', chunk => output += chunk)
    child.on('error', reject)
    child.on('close', code => code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${code}:\n${output}`)))
  })
}

/**
 * The package and its bins (`npx ai-assets`), linked as npm links a dependency. npm prunes links
 * it did not make, so they are checked after every install, and on every run.
 */
function linkPackage(dir) {
  const modules = join(dir, 'node_modules')
  ensureLink(join(modules, 'unplugin-ai-assets'), relative(modules, repoRoot) || '.', 'dir')
  const { bin = {} } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  for (const [name, file] of Object.entries(bin))
    ensureLink(join(modules, '.bin', name), join('..', 'unplugin-ai-assets', file), 'file')
}

function ensureLink(link, target, type) {
  const stat = existsSync(link) || isDanglingLink(link) ? lstatSync(link) : undefined
  if (stat?.isSymbolicLink())
    return
  if (stat)
    rmSync(link, { recursive: true, force: true })
  mkdirSync(dirname(link), { recursive: true })
  symlinkSync(target, link, type)
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink()
  }
  catch {
    return false
  }
}

async function installFixture(name, log) {
  const dir = join(fixturesDir, name)
  const stampFile = join(dir, 'node_modules', STAMP)
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint(dir)) {
    linkPackage(dir)
    return false
  }
  const started = Date.now()
  log(`[install-fixtures] ${name}: npm install…`)
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir)
  // After the install: its first run writes the lockfile.
  writeFileSync(stampFile, fingerprint(dir))
  linkPackage(dir)
  log(`[install-fixtures] ${name}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return true
}

/** Installs the named fixtures (default: all) that need it; resolves to the names installed. */
export async function installFixtures(names = fixtureNames(), log = message => console.log(message)) {
  const queue = [...names]
  const installed = []
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      if (await installFixture(name, log))
        installed.push(name)
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker))
  return installed
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now()
  const installed = await installFixtures(process.argv.length > 2 ? process.argv.slice(2) : undefined)
  console.log(`[install-fixtures] ${installed.length ? `installed ${installed.join(', ')}` : 'all up to date'} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
