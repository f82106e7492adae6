/**
 * One build function per bundler, all real builds through this package's
 * entries (src/<bundler>.ts), with the same shape: a root holding
 * fixtures/app, entries by name, an output folder, a browser or Node target.
 */
import type { Options } from '../../src/types'
import { join } from 'node:path'
import { build as esbuild } from 'esbuild'
import { rolldown } from 'rolldown'
import { rollup } from 'rollup'
import { build as vite } from 'vite'
import AiAssetsEsbuild from '../../src/esbuild'
import AiAssetsRolldown from '../../src/rolldown'
import AiAssetsRollup from '../../src/rollup'
import AiAssetsRspack from '../../src/rspack'
import AiAssetsVite from '../../src/vite'
import AiAssetsWebpack from '../../src/webpack'

export const BUNDLERS = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'] as const
export type Bundler = typeof BUNDLERS[number]

export interface BuildOptions {
  root: string
  /** Entry name → path relative to root. */
  entries: Record<string, string>
  outDir: string
  /** Browser: classic scripts (iife) unless `esm`. Node: ES modules (CommonJS `.cjs` for webpack and Rspack). */
  target: 'browser' | 'node'
  esm?: boolean
  /** webpack/Rspack `output.publicPath`, esbuild `publicPath`, Vite `base`. */
  publicPath?: string
  /** Rollup/Rolldown `output.entryFileNames`. */
  entryFileNames?: string
  plugin?: Options
}

/** The output file of an entry, relative to outDir. */
export function entryFile(bundler: Bundler, options: BuildOptions, name: string): string {
  if (options.target === 'node')
    return bundler === 'webpack' || bundler === 'rspack' ? `${name}.cjs` : `${name}.mjs`
  return options.entryFileNames?.replace('[name]', name) ?? `${name}.js`
}

const pluginOptions = (options: BuildOptions): Options => ({ frozen: false, ...options.plugin })

export async function buildWith(bundler: Bundler, options: BuildOptions): Promise<string> {
  const outDir = join(options.root, options.outDir)
  const input = Object.fromEntries(Object.entries(options.entries).map(([name, file]) => [name, join(options.root, file)]))
  const node = options.target === 'node'
  const esm = node || !!options.esm
  const fileName = (name: string) => entryFile(bundler, options, name)

  switch (bundler) {
    case 'vite': {
      await vite({
        root: options.root,
        configFile: false,
        logLevel: 'silent',
        base: options.publicPath,
        plugins: [AiAssetsVite(pluginOptions(options))],
        build: {
          outDir,
          emptyOutDir: true,
          ssr: node ? input.node : undefined,
          ssrEmitAssets: true,
          minify: false,
          rollupOptions: {
            input,
            output: { format: esm ? 'es' : 'iife', entryFileNames: node ? '[name].mjs' : options.entryFileNames ?? '[name].js' },
          },
        },
      })
      break
    }
    case 'rollup': {
      const bundle = await rollup({ input, plugins: [AiAssetsRollup(pluginOptions(options))] })
      await bundle.write({ dir: outDir, format: esm ? 'es' : 'iife', entryFileNames: node ? '[name].mjs' : options.entryFileNames ?? '[name].js' })
      await bundle.close()
      break
    }
    case 'rolldown': {
      const bundle = await rolldown({ input, cwd: options.root, platform: node ? 'node' : 'browser', plugins: [AiAssetsRolldown(pluginOptions(options))], logLevel: 'silent' })
      await bundle.write({ dir: outDir, format: esm ? 'es' : 'iife', entryFileNames: node ? '[name].mjs' : options.entryFileNames ?? '[name].js' })
      await bundle.close()
      break
    }
    case 'webpack':
    case 'rspack': {
      const config = {
        mode: 'production' as const,
        context: options.root,
        entry: input,
        target: node ? 'node' : 'web',
        devtool: false as const,
        optimization: { minimize: false },
        output: { path: outDir, filename: node ? '[name].cjs' : options.entryFileNames ?? '[name].js', clean: true, ...(options.publicPath !== undefined && { publicPath: options.publicPath }) },
        ...(bundler === 'webpack' ? { plugins: [AiAssetsWebpack(pluginOptions(options))] } : { plugins: [AiAssetsRspack(pluginOptions(options))] }),
      }
      const compile = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
      await new Promise<void>((resolve, reject) => {
        const compiler = (compile as any)(config)
        compiler.run((error: Error | null, stats: any) => {
          compiler.close(() => {})
          if (error)
            return reject(error)
          if (stats.hasErrors())
            return reject(new Error(stats.toString({ all: false, errors: true })))
          resolve()
        })
      })
      break
    }
    case 'esbuild': {
      await esbuild({
        absWorkingDir: options.root,
        entryPoints: input,
        outdir: outDir,
        bundle: true,
        format: esm ? 'esm' : 'iife',
        platform: node ? 'node' : 'browser',
        outExtension: node ? { '.js': '.mjs' } : undefined,
        splitting: esm && !node && Object.keys(input).length > 1,
        publicPath: options.publicPath,
        logLevel: 'silent',
        plugins: [AiAssetsEsbuild(pluginOptions(options))],
      })
      break
    }
  }
  void fileName
  return outDir
}
