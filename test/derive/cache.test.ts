/** The derivative cache's read check (length and crc32): a damaged or truncated entry is a miss, never served. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/common/hash'
import { createDerivativeCache, knownSha256 } from '../../src/derive/cache'
import { copyFixture } from '../helpers'

/** A cache with one entry, and the path of its file. */
async function oneEntry() {
  const dir = copyFixture('empty')
  const cache = createDerivativeCache(dir)
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 251))
  await cache.put('derivative:x', data, { width: 10 })
  const [file] = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(entry => entry.isFile() && entry.parentPath !== dir)
  return { cache, data, path: join(file!.parentPath, file!.name) }
}

describe('the derivative cache', () => {
  it('serves an entry as it was put, with the sha256 recorded when it was put', async () => {
    const { cache, data } = await oneEntry()
    const entry = await cache.get('derivative:x')
    expect(entry).toEqual({ data, metadata: { width: 10 } })
    // What names the emitted file, without hashing the bytes again.
    expect(knownSha256(entry!.data)).toBe(sha256(data))
    expect(knownSha256(Buffer.from(data))).toBeUndefined()
    expect(await cache.get('derivative:y')).toBeUndefined()
  })

  it('misses on a truncated entry, a flipped byte, a byte too many, and an entry of the older layout', async () => {
    const damages: [string, (bytes: Buffer) => Buffer][] = [
      ['truncated', bytes => bytes.subarray(0, bytes.length - 100)],
      ['flipped', bytes => Buffer.concat([bytes.subarray(0, -2500), Buffer.from([bytes.at(-2500)! ^ 0x01]), bytes.subarray(-2499)])],
      ['longer', bytes => Buffer.concat([bytes, Buffer.from([0])])],
      ['header only', bytes => bytes.subarray(0, 4 + bytes.readUInt32BE(0))],
      ['empty', () => Buffer.alloc(0)],
    ]
    for (const [what, damage] of damages) {
      const { cache, path } = await oneEntry()
      writeFileSync(path, damage(readFileSync(path)))
      expect(await cache.get('derivative:x'), what).toBeUndefined()
    }
    // The older layout recorded a sha256 instead of the length and crc32: made anew once.
    const { cache, path, data } = await oneEntry()
    const header = Buffer.from(JSON.stringify({ key: 'derivative:x', sha256: 'ab'.repeat(32), metadata: { width: 10 } }))
    const length = Buffer.alloc(4)
    length.writeUInt32BE(header.length)
    writeFileSync(path, Buffer.concat([length, header, data]))
    expect(await cache.get('derivative:x')).toBeUndefined()
  })
})
