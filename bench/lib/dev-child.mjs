/**
 * One `vite dev` session for bench/dev.ts, in a process of its own (run with
 * --expose-gc): starts the dev server of the site in argv[2], asks for every
 * module its entry imports and every image file those modules point at, as a
 * browser showing the page would, and prints what the process holds before
 * and after, garbage collected: { served, before, after } (bytes).
 */
import { join } from 'node:path'
import { createServer } from 'vite'

const [site] = process.argv.slice(2)

/** What the process holds once garbage is collected: the JS heap, and Buffers and other memory outside it. */
function held() {
  globalThis.gc()
  globalThis.gc()
  // `external` includes the Buffers (`arrayBuffers`, Node's docs).
  const { heapUsed, external } = process.memoryUsage()
  return { heap: heapUsed, external }
}

const server = await createServer({ root: site, configFile: join(site, 'vite.config.mjs'), logLevel: 'error', server: { host: '127.0.0.1', port: 0 }, optimizeDeps: { noDiscovery: true, include: [] } })
await server.listen()
const origin = `http://127.0.0.1:${server.httpServer.address().port}`
const text = async path => (await fetch(`${origin}${path}`)).text()
// Warm: Vite's own first-request work is not what is measured.
await text('/')
const before = held()

let served = 0
const entry = await text('/src/main.js')
for (const [, id] of entry.matchAll(/from "([^"]+)"/g)) {
  const module = await text(id)
  // The image URLs a module exports: the plugin's /@ai-assets/… files, or a plain site's /src/images/… file.
  for (const [, file] of module.matchAll(/"(\/(?:@ai-assets|src\/images)\/[^"?]+)"/g))
    served += (await (await fetch(`${origin}${file}`)).arrayBuffer()).byteLength
}
const after = held()
await server.close()
console.log(JSON.stringify({ served, before, after }))
