/**
 * html-webpack-plugin compiles its template in a child compiler: a
 * `require('~ai-assets/…')` there must work in Rspack as in webpack, and give
 * the value itself (a string for `?url`), as `require('./x.png')` does.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import HtmlWebpackPlugin from 'html-webpack-plugin'
import { describe, expect, it } from 'vitest'
import AiAssetsRspack from '../../src/rspack'
import AiAssetsWebpack from '../../src/webpack'
import { copyFixture, decode } from '../helpers'

const TEMPLATE = `<!doctype html>
<img id="logo" src="<%= require('~ai-assets/logo?url') %>" alt="">
<img id="hero" src="<%= require('~ai-assets/hero').src %>" srcset="<%= require('~ai-assets/hero?srcset') %>" alt="<%= require('~ai-assets/hero').alt %>">
`

async function build(bundler: 'webpack' | 'rspack', root: string): Promise<string> {
  writeFileSync(join(root, 'src', 'page.html'), TEMPLATE)
  const outDir = join(root, `dist-${bundler}`)
  const config = {
    mode: 'production' as const,
    context: root,
    entry: { main: './src/main.js' },
    devtool: false as const,
    optimization: { minimize: false },
    output: { path: outDir, publicPath: '/static/', clean: true },
    plugins: [
      bundler === 'webpack' ? AiAssetsWebpack({ frozen: false }) : AiAssetsRspack({ frozen: false }),
      new HtmlWebpackPlugin({ template: './src/page.html', minify: false }),
    ],
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
  return outDir
}

describe.each(['webpack', 'rspack'] as const)('%s with html-webpack-plugin', (bundler) => {
  it('resolves ~ai-assets requires in the template to emitted files', async () => {
    const root = copyFixture('app')
    const dist = await build(bundler, root)
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    const attribute = (id: string, name: string) => new RegExp(`id="${id}"[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1]

    const logo = attribute('logo', 'src')
    // src is the <img> fallback: JPEG for these opaque images.
    expect(logo).toMatch(/^\/static\/assets\/logo-96\.[0-9a-f]{8}\.jpg$/)
    expect(await decode(join(dist, logo!.slice('/static/'.length)))).toEqual({ width: 96, height: 96, format: 'jpeg' })

    const hero = attribute('hero', 'src')
    expect(hero).toMatch(/^\/static\/assets\/hero-160\.[0-9a-f]{8}\.jpg$/)
    expect(await decode(join(dist, hero!.slice('/static/'.length)))).toEqual({ width: 160, height: 80, format: 'jpeg' })
    expect(attribute('hero', 'srcset')).toMatch(/^\/static\/assets\/hero-80\.[0-9a-f]{8}\.jpg 80w, \/static\/assets\/hero-160\.[0-9a-f]{8}\.jpg 160w$/)
    expect(attribute('hero', 'alt')).toBe('A cabin among tall pines')
  })
})
