/**
 * write-file-atomic, loaded on the first write: a warm build writes nothing,
 * and loading it (with signal-exit and its other dependencies) is a
 * noticeable part of the cost of a build that does nothing else.
 */
import type writeFile from 'write-file-atomic'
import type { Options } from 'write-file-atomic'

let loaded: Promise<typeof writeFile> | undefined

/** Writes through a temporary file renamed over `path`: a crash leaves the old file or the new one, never a part. */
export async function writeFileAtomic(path: string, data: string | Buffer, options?: Options): Promise<void> {
  const write = await (loaded ??= import('write-file-atomic').then(module => module.default))
  await write(path, data, options)
}
