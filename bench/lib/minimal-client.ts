/**
 * The floor of the generate benchmark: the least a client can do for the
 * same images against the same fake, measured in the same run. It sends the
 * Runware request, reads the answer, downloads the image, decodes every pixel
 * (as the store requires, with the same sharp operation), names it by its
 * sha256 and writes it atomically (a temp file renamed), with as many requests
 * in flight as the plugin and each slot freed at its answer, as the plugin
 * frees it; then one lockfile at the end. No key locks, no journal, no fsync,
 * no lockfile per finished asset: what the plugin takes above this is its
 * own work, those among it. Its requests go to the same fake, so the fake's
 * own delays (its timers, its CPU on the same cores) are in both.
 */
import { hash, randomUUID } from 'node:crypto'
import { rename, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import sharp from 'sharp'

interface Options {
  /** The fake's base URL, `http://127.0.0.1:<port>`. */
  url: string
  key: string
  assets: number
  concurrency: number
  /** Where the images and the lockfile are written. */
  dir: string
}

/** Seconds from the first request to the lockfile written. */
export async function minimalClient({ url, key, assets, concurrency, dir }: Options): Promise<number> {
  const started = performance.now()
  const entries: Record<string, { file: string, sha256: string }> = {}
  const stored: Promise<void>[] = []
  let next = 0
  const store = async (name: string, imageURL: string) => {
    const bytes = await call(imageURL)
    await sharp(bytes, { failOn: 'error' }).resize(8, 8, { fit: 'fill', kernel: 'lanczos3', fastShrinkOnLoad: false }).raw().toBuffer()
    const sha256 = hash('sha256', bytes, 'hex')
    const file = `${name}.${sha256.slice(0, 12)}.jpg`
    await writeFile(join(dir, `${file}.tmp`), bytes)
    await rename(join(dir, `${file}.tmp`), join(dir, file))
    entries[name] = { file, sha256 }
  }
  const slot = async () => {
    while (next < assets) {
      const i = next++
      const task = { taskType: 'imageInference', taskUUID: randomUUID(), positivePrompt: `Benchmark asset ${i}`, model: 'recraft:v4.1@0', width: 1024, height: 1024, numberResults: 1, outputType: 'URL', outputFormat: 'JPG' }
      const answer = JSON.parse((await call(`${url}/v1`, key, JSON.stringify([task]))).toString('utf8'))
      // The slot goes to the next request; the image is fetched beside it.
      stored.push(store(`asset-${i}`, answer.data[0].imageURL))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, slot))
  await Promise.all(stored)
  if (Object.keys(entries).length !== assets)
    throw new Error(`the minimal client stored ${Object.keys(entries).length} of ${assets} images`)
  await writeFile(join(dir, 'ai-assets.lock.json'), `${JSON.stringify(entries, null, 2)}\n`)
  return (performance.now() - started) / 1000
}

/** A POST of `body` with the key, or a GET; the whole answer, which must be a 200. */
function call(target: string, key?: string, body?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const headers = body ? { 'content-type': 'application/json', 'authorization': `Bearer ${key}` } : {}
    const req = request(target, { method: body ? 'POST' : 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${target}: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`)))
    })
    req.on('error', reject)
    req.end(body)
  })
}
