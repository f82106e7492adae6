/**
 * Each file the plugin hands to a bundler (Rollup's, Rolldown's and Vite's
 * `emitFile`, webpack's and Rspack's loader `emitFile`, esbuild's output
 * files) is announced on this diagnostics channel as `{ fileName, data }`,
 * free when nobody listens: `data` is the Buffer handed over, so that a test
 * or a profiler can hold it weakly and see that the plugin keeps no copy of
 * what the bundler now holds (a cold build's memory must not grow with the
 * assets).
 */
import type { OutputFile } from '../../output/emitted-files'
import { channel } from 'node:diagnostics_channel'

export const EMIT_CHANNEL = 'unplugin-ai-assets:emit'
const emitted = channel(EMIT_CHANNEL)

export function announceEmit(file: OutputFile): void {
  if (emitted.hasSubscribers)
    emitted.publish({ fileName: file.fileName, data: file.derivative.data })
}
