/**
 * Runs browser bundles as a page would, in a vm context with just enough DOM
 * (document.currentScript, baseURI, querySelector), the output folder being
 * served at `mount`. Gives the markup the app rendered, and checks that every
 * image URL in it points at a file of the output folder that decodes at the
 * size the markup advertises.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import vm from 'node:vm'
import { expect } from 'vitest'
import { decode } from '../helpers'

export const ORIGIN = 'http://localhost'

/** Executes the scripts (paths relative to dir) in a fresh page at `${ORIGIN}${mount}index.html`; gives each element's innerHTML. */
export function runPage(dir: string, mount: string, scripts: string[]): Record<string, string> {
  const elements: Record<string, { innerHTML: string }> = {}
  const document = {
    baseURI: `${ORIGIN}${mount}index.html`,
    currentScript: null as null | { tagName: string, src: string },
    querySelector: (selector: string) => (elements[selector.replace(/^#/, '')] ??= { innerHTML: '' }),
    getElementsByTagName: () => (document.currentScript ? [document.currentScript] : []),
  }
  const context = vm.createContext({ document, URL, location: new URL(document.baseURI), console })
  for (const script of scripts) {
    document.currentScript = { tagName: 'SCRIPT', src: `${ORIGIN}${mount}${script}` }
    vm.runInContext(readFileSync(join(dir, script), 'utf8'), context, { filename: script })
    document.currentScript = null
  }
  return Object.fromEntries(Object.entries(elements).map(([id, element]) => [id, element.innerHTML]))
}

export interface RenderedImage {
  tag: 'img' | 'source'
  name: string
  attributes: Record<string, string>
}

export function renderedImages(html: string): RenderedImage[] {
  return [...html.matchAll(/<(img|source)\s([^>]*)>/g)].map(([, tag, body]) => {
    const attributes = Object.fromEntries([...body!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]))
    return { tag: tag as 'img' | 'source', name: attributes['data-name']!, attributes }
  })
}

/** `srcset` → [url, width]. */
export function parseSrcset(srcset: string): [string, number][] {
  return srcset.split(', ').map((entry) => {
    const [url, descriptor] = entry.split(' ')
    return [url!, Number.parseInt(descriptor!)]
  })
}

/** The file of the output folder an URL of the page points at; fails when the URL leaves the mount. */
export function servedFile(dir: string, mount: string, url: string): string {
  const resolved = new URL(url, `${ORIGIN}${mount}index.html`)
  expect(resolved.origin, url).toBe(ORIGIN)
  expect(resolved.pathname.startsWith(mount), `${url} is not under ${mount}`).toBe(true)
  return join(dir, decodeURIComponent(resolved.pathname.slice(mount.length)))
}

/**
 * Every URL of every rendered image points at an existing file that decodes
 * at the advertised size; gives the files, relative to dir.
 */
export async function checkRenderedImages(dir: string, mount: string, html: string): Promise<Set<string>> {
  const checked = new Set<string>()
  const check = async (url: string, width: number, height?: number) => {
    const file = servedFile(dir, mount, url)
    expect(existsSync(file), `${url} → ${file}`).toBe(true)
    const size = await decode(file)
    expect(size.width, url).toBe(width)
    if (height !== undefined)
      expect(size.height, url).toBe(height)
    checked.add(file.slice(dir.length + 1))
  }
  for (const { tag, attributes } of renderedImages(html)) {
    if (tag === 'img' && attributes.width)
      await check(attributes.src!, Number(attributes.width), Number(attributes.height))
    else if (tag === 'img')
      await check(attributes.src!, (await decode(servedFile(dir, mount, attributes.src!))).width!)
    for (const [url, width] of attributes.srcset ? parseSrcset(attributes.srcset) : [])
      await check(url, width)
  }
  return checked
}
