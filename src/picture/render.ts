/** `renderPicture`: the `<picture>` markup as a string, for templates without components. */
import type { GeneratedImage } from '../types'
import type { PictureOptions } from './attributes'
import { pictureAttributes } from './attributes'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }

/** A value safe inside a double-quoted attribute, and in text. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, char => ENTITIES[char]!)
}

function attributes(values: object): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeHtml(String(value))}"`)
    .join('')
}

/** `<picture><source …>…<img …></picture>`, every attribute value escaped. */
export function renderPicture(image: GeneratedImage, options?: PictureOptions): string {
  const { sources, img } = pictureAttributes(image, options)
  return `<picture>${sources.map(source => `<source${attributes(source)}>`).join('')}<img${attributes(img)}></picture>`
}
