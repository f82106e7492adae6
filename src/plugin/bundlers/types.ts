/**
 * How one bundler puts an output file into its output folder and what JS
 * expression gives its URL at run time. Everything else (ids, module code,
 * the image pipeline) is the same for every bundler.
 */
import type { UnpluginBuildContext } from 'unplugin'
import type { OutputFile } from '../../output/emitted-files'

export interface Emitter {
  /** Emits `file` (once per build at most) and returns a JS expression of its URL. */
  url: (context: UnpluginBuildContext, file: OutputFile) => string
  /** A new build starts: forget what was emitted. */
  reset?: () => void
  /** A dev server's module `id` of the project at `root` was made, pointing at `files` (and no longer at those it pointed at before). */
  loaded?: (root: string, id: string, files: OutputFile[]) => void
}
