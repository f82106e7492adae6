/**
 * `vite build`: `emitFile`, and Vite's own asset URL placeholder
 * (`__VITE_ASSET__<ref>__`, what `import img from './a.png'` compiles to),
 * which Vite turns into a URL after bundling. Unlike
 * `import.meta.ROLLUP_FILE_URL_`, which Vite 5 to 7 leave to Rollup and which
 * becomes a `file://` URL in SSR bundles, the placeholder gets `base` in
 * client and SSR builds on every Vite major, relative URLs with `base: './'`
 * in the client, and `experimental.renderBuiltUrl`.
 */
import type { Emitter } from './types'

export function viteBuildEmitter(): Emitter {
  // File name → reference id, so that `x` and `x?url` emit a file once per build.
  const emitted = new Map<string, string>()
  return {
    reset: () => emitted.clear(),
    url(context, file) {
      let ref = emitted.get(file.fileName)
      if (!ref) {
        ref = context.emitFile({ type: 'asset', fileName: file.fileName, source: file.derivative.data }) as unknown as string
        emitted.set(file.fileName, ref)
      }
      // Vite replaces the placeholder inside a string literal, with a URL or `"+<expression>+"`.
      return `"__VITE_ASSET__${ref}__"`
    },
  }
}
