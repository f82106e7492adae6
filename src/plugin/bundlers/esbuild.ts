/**
 * esbuild has no API to emit a file: the files of a build are collected and
 * written into `outdir` (or the folder of `outfile`) when it ends, or added
 * to `outputFiles` with `write: false`. URLs are `publicPath` + the file name,
 * or without `publicPath` `./<file name>`, relative like esbuild's own `file`
 * loader (right when the page and the bundle sit at the top of `outdir`).
 */
import type { PluginBuild } from 'esbuild'
import type { OutputFile } from '../../output/emitted-files'
import type { Emitter } from './types'
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { writeFileAtomic } from '../../common/write-atomic'
import { announceEmit } from './emit-channel'

export function esbuildUrl(publicPath: string | undefined, fileName: string): string {
  return publicPath ? `${publicPath.replace(/\/+$/, '')}/${fileName}` : `./${fileName}`
}

export function esbuildEmitter(build: PluginBuild, warn: (message: string) => void): Emitter {
  const options = build.initialOptions
  const files = new Map<string, OutputFile>()

  build.onEnd(async (result) => {
    // Taken out of the map: once written (or handed over in outputFiles), the plugin keeps no copy until the next build.
    const emitted = [...files.values()]
    files.clear()
    if (emitted.length === 0 || result.errors.length > 0)
      return
    const out = options.outdir ?? (options.outfile && dirname(options.outfile))
    if (!out)
      return warn(`esbuild has neither outdir nor outfile: ${emitted.length} image file(s) not written`)
    const dir = resolve(options.absWorkingDir ?? process.cwd(), out)
    if (options.write === false) {
      result.outputFiles?.push(...emitted.map(file => outputFile(resolve(dir, file.fileName), file.derivative.data)))
      return
    }
    await Promise.all(emitted.map(async (file) => {
      const path = resolve(dir, file.fileName)
      await mkdir(dirname(path), { recursive: true })
      // Atomic like every other write: a build stopped half-way leaves no partial image.
      await writeFileAtomic(path, file.derivative.data)
    }))
  })

  return {
    reset: () => files.clear(),
    url(_, file) {
      if (!files.has(file.fileName))
        announceEmit(file)
      files.set(file.fileName, file)
      return JSON.stringify(esbuildUrl(options.publicPath, file.fileName))
    },
  }
}

/** The shape of esbuild's own OutputFile. */
function outputFile(path: string, data: Buffer) {
  const contents = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return { path, contents, hash: createHash('sha256').update(data).digest('base64url').slice(0, 8), get text() { return data.toString('utf8') } }
}
