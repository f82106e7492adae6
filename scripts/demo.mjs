// `npm run demo`: builds the package, then the Vite example with it, offline.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const example = join(root, 'examples/vite')

execFileSync('npx', ['tsdown', '--log-level', 'warn'], { cwd: root, stdio: 'inherit' })
// The demo never pays: without an API key every asset is an offline placeholder.
// CI is cleared because a frozen build (the default under CI) refuses assets that are not in the store.
execFileSync('npx', ['vite', 'build'], { cwd: example, stdio: 'inherit', env: { ...process.env, CI: '' } })

const dist = join(example, 'dist')
const images = readdirSync(join(dist, 'assets'), { recursive: true }).filter(file => /\.(?:avif|webp|png|jpg)$/.test(file))
console.log(`\nThe example is built: ${relative(process.cwd(), dist) || '.'}/ (${images.length} images)`)
console.log(`Look at it with: npx vite preview ${relative(process.cwd(), example) || '.'}`)
