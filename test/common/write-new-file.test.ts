/** writeNewFile: a temporary file renamed over the target, and nothing left behind when it fails. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeNewFile } from '../../src/common/write-new-file'

const folder = () => mkdtempSync(join(tmpdir(), 'ai-assets-write-new-'))

describe('writeNewFile', () => {
  it('writes the bytes, replaces an old file whole, and leaves no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'hero.0123456789ab.png')
    await writeNewFile(path, Buffer.from('first'))
    expect(readFileSync(path, 'utf8')).toBe('first')
    await writeNewFile(path, 'second, longer', { fsync: false })
    expect(readFileSync(path, 'utf8')).toBe('second, longer')
    expect(readdirSync(dir)).toEqual(['hero.0123456789ab.png'])
  })

  it('many writers of the same name at once each write whole bytes, and the last rename wins', async () => {
    const dir = folder()
    const path = join(dir, 'same.json')
    const texts = Array.from({ length: 20 }, (_, i) => `writer ${i} `.repeat(1000))
    await Promise.all(texts.map(text => writeNewFile(path, text)))
    expect(texts).toContain(readFileSync(path, 'utf8'))
    expect(readdirSync(dir)).toEqual(['same.json'])
  })

  it('throws when the rename fails, and removes its temporary file', async () => {
    const dir = folder()
    // A non-empty folder where the file should go: the rename fails.
    const path = join(dir, 'taken')
    mkdirSync(path)
    writeFileSync(join(path, 'inside'), 'x')
    await expect(writeNewFile(path, 'bytes')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/)
    expect(readdirSync(dir)).toEqual(['taken'])
  })

  it('throws when the folder is missing, without creating it', async () => {
    const dir = folder()
    await expect(writeNewFile(join(dir, 'missing', 'file'), 'bytes')).rejects.toThrow(/ENOENT/)
    expect(readdirSync(dir)).toEqual([])
  })
})
