/** Server-rendered markup of each framework, reduced to what a browser sees: elements and their attributes. */
import type { GeneratedImage, PictureOptions } from 'unplugin-ai-assets/picture'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { compile } from 'svelte/compiler'
import { render as renderSvelte } from 'svelte/server'
import { Picture as ReactPicture } from 'unplugin-ai-assets/react'
import { Picture as VuePicture } from 'unplugin-ai-assets/vue'
import { createSSRApp, h } from 'vue'
import { renderToString as renderVue } from 'vue/server-renderer'
import { repoRoot } from '../helpers'

export interface Element {
  tag: string
  attributes: Record<string, string>
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', 39: '\'', x27: '\'' }

/**
 * The elements of a fragment of HTML, in order, with their attributes decoded.
 * Attribute names are lowercased (React writes `srcSet`, which HTML reads as
 * `srcset`) and a style's trailing `;` is dropped (Vue adds one).
 */
export function elements(html: string): Element[] {
  const found: Element[] = []
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '')
  for (const [, tag, rest] of withoutComments.matchAll(/<([a-z]+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    const attributes: Record<string, string> = {}
    for (const [, name, value] of rest!.matchAll(/([\w-]+)(?:="([^"]*)")?/g))
      attributes[name!.toLowerCase()] = decodeEntities(value ?? '')
    if (attributes.style)
      attributes.style = attributes.style.replace(/;\s*$/, '')
    found.push({ tag: tag!.toLowerCase(), attributes })
  }
  return found
}

function decodeEntities(value: string): string {
  return value.replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name.replace(/^#/, '')] ?? entity)
}

export type Props = PictureOptions & { image: GeneratedImage, className?: string }

export function renderReact(props: Props): string {
  return renderToStaticMarkup(createElement(ReactPicture, props))
}

export async function renderVueComponent(props: Props): Promise<string> {
  return renderVue(createSSRApp({ render: () => h(VuePicture, props) }))
}

let svelteComponent: Promise<any> | undefined

/** components/svelte/Picture.svelte compiled for the server, as a Svelte app's bundler would, then imported. */
export async function renderSvelteComponent(props: Props): Promise<string> {
  svelteComponent ??= (async () => {
    const file = join(repoRoot, 'components', 'svelte', 'Picture.svelte')
    const { js, warnings } = compile(readFileSync(file, 'utf8'), { generate: 'server', filename: file })
    if (warnings.length > 0)
      throw new Error(`Svelte warns about Picture.svelte: ${warnings.map(w => w.message).join('; ')}`)
    // Inside the repo, so that `svelte` and `unplugin-ai-assets/picture` resolve as in an app.
    const dir = join(process.env.AI_ASSETS_TEST_SCRATCH ?? join(repoRoot, '.tmp', 'manual'), 'svelte')
    mkdirSync(dir, { recursive: true })
    const out = join(dir, `Picture-${process.pid}.mjs`)
    writeFileSync(out, js.code)
    return (await import(pathToFileURL(out).href)).default
  })()
  return renderSvelte(await svelteComponent, { props }).body
}
