/**
 * Rollup and Rolldown: `emitFile` with our content-hashed file
 * name, and `import.meta.ROLLUP_FILE_URL_<ref>`, which each bundler turns
 * into a URL that fits its output format and layout (Vite: ./vite.ts).
 */
import type { Emitter } from './types'
import { announceEmit } from './emit-channel'

/** Emits each file once per build (`x` and `x?url` share it) and refers to it by `reference(ref)`. */
export function emitFileEmitter(reference: (ref: string) => string): Emitter {
  // File name → reference id.
  const emitted = new Map<string, string>()
  return {
    reset: () => emitted.clear(),
    url(context, file) {
      let ref = emitted.get(file.fileName)
      if (!ref) {
        ref = context.emitFile({ type: 'asset', fileName: file.fileName, source: file.derivative.data }) as unknown as string
        announceEmit(file)
        emitted.set(file.fileName, ref)
      }
      return reference(ref)
    },
  }
}

export function rollupEmitter(): Emitter {
  return emitFileEmitter(ref => `import.meta.ROLLUP_FILE_URL_${ref}`)
}

/**
 * Rolldown's own `import.meta.ROLLUP_FILE_URL_` is right in ES modules and
 * CommonJS, but in an iife or umd bundle it reads `import.meta.url` of an
 * empty object. There the URL is resolved against the running script, as
 * Rollup does: `document.currentScript` in a page, the file in Node (umd),
 * `self.location` in a worker.
 */
export function classicScriptFileUrl({ format, relativePath }: { format: string, relativePath: string }): string | undefined {
  if (format !== 'iife' && format !== 'umd')
    return undefined
  const script = `(typeof document === 'undefined' ? (typeof __filename === 'string' ? require('u' + 'rl').pathToFileURL(__filename).href : self.location.href) : document.currentScript && document.currentScript.tagName.toUpperCase() === 'SCRIPT' && document.currentScript.src || document.baseURI)`
  return `new URL(${JSON.stringify(relativePath)}, ${script}).href`
}
