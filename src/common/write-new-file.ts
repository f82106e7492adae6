/**
 * Atomic writes of files this package names itself (content-addressed
 * originals in the store, journals in `.locks/`, derivative cache entries,
 * written without fsync): a temporary file beside the
 * target, `<name>.<32-bit integer>` (the name write-file-atomic gives its own,
 * which `isStoreFile` and the name-length rule of the config count on),
 * renamed over it. A crash leaves the old file or the new one, never a part.
 *
 * Why not write-file-atomic, as for files a user may own (the lockfile,
 * `.d.ts`, build output): it resolves the target's real path in JavaScript
 * (an lstat per folder of the path), stats it to keep its mode and owner, and
 * chmods the temp file; each is a round trip through libuv's four threads,
 * which a run of generations keeps busy decoding images, so a store write
 * waited behind every decode for each of them. These files are ours, under
 * folders we made: there is no link to follow and no mode or owner to keep.
 * So: open, write, fsync (when asked), close, rename.
 */
import { randomInt } from 'node:crypto'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'

export interface WriteNewFileOptions {
  /**
   * Flush the bytes to disk before the rename, so that the name never points
   * at a file whose bytes a power cut lost.
   * @default true
   */
  fsync?: boolean
}

const tempOf = (path: string) => `${path}.${randomInt(0xFFFFFFFF)}`

export async function writeNewFile(path: string, data: string | Buffer, options: WriteNewFileOptions = {}): Promise<void> {
  const temp = tempOf(path)
  try {
    // 'wx': never onto another writer's temp file.
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
      if (options.fsync !== false)
        await handle.sync()
    }
    finally {
      await handle.close()
    }
    await rename(temp, path)
  }
  catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/**
 * The same, synchronous and never flushed, for a few hundred bytes that
 * should not wait in libuv's thread pool behind image decodes (the journal).
 */
export function writeNewFileSync(path: string, data: string): void {
  const temp = tempOf(path)
  try {
    writeFileSync(temp, data, { flag: 'wx' })
    renameSync(temp, path)
  }
  catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}
