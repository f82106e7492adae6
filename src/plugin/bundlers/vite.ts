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
import { emitFileEmitter } from './rollup'

export function viteBuildEmitter(): Emitter {
  // Vite replaces the placeholder inside a string literal, with a URL or `"+<expression>+"`.
  return emitFileEmitter(ref => `"__VITE_ASSET__${ref}__"`)
}
