/**
 * The Runware fake of the generate benchmark, in a process of its own: the
 * ideal assumes a provider that costs the client nothing, so the fake's HTTP
 * handling and JSON must not compete with the client for its event loop and
 * CPU. Spoken to over IPC: it renders its photo-like images before answering
 * `ready` (before any clock starts), then takes `reset` and `stats`.
 *
 *   fork('bench/lib/runware-child.ts', [key, latency, photos], { execArgv: ['--import', 'jiti/register'] })
 */
import type { ImageType } from '../../test/fakes/server'
import { startRunwareFake } from '../../test/fakes/runware'
import { photoLike } from './photo'

/** What the benchmark asks, and what the fake answers. */
export type FakeRequest = { type: 'reset' } | { type: 'stats' } | { type: 'close' }
export type FakeReply
  = | { type: 'ready', url: string }
    | { type: 'reset' }
    /** Arrival times of the API requests, in epoch ms (performance.timeOrigin + performance.now()), comparable across processes. */
    | { type: 'stats', arrivals: number[], maxInFlight: number }

const [key, latencyArg, photosArg] = process.argv.slice(2)
const latency = Number(latencyArg)
const photoCount = Number(photosArg)
const send = (reply: FakeReply) => process.send!(reply)

const fake = await startRunwareFake(key!)
const photos = new Map<string, Promise<Buffer>>()
let served = 0
fake.image = (width: number, height: number, type: ImageType) => {
  const slot = served++ % photoCount
  const name = `${width}x${height}.${type}.${slot}`
  if (!photos.has(name))
    photos.set(name, photoLike(slot, width, height, type))
  return photos.get(name)!
}
await Promise.all(Array.from({ length: photoCount }, () => fake.image(1024, 1024, 'jpeg')))
fake.reset()
fake.latency = latency

process.on('message', async (message: FakeRequest) => {
  if (message.type === 'reset') {
    fake.reset()
    fake.latency = latency
    send({ type: 'reset' })
  }
  else if (message.type === 'stats') {
    send({ type: 'stats', arrivals: fake.apiRequests.map(r => performance.timeOrigin + r.at), maxInFlight: fake.maxInFlight })
  }
  else if (message.type === 'close') {
    await fake.close()
    process.disconnect()
  }
})
send({ type: 'ready', url: fake.url })
