/**
 * The attributes of `<picture>`'s `<source>`s and `<img>` for an imported
 * image (README "Picture components"). Every component (React, Vue, Svelte,
 * Astro) and `renderPicture` build on this one function, so they render the
 * same markup. It runs in browsers too: no Node API here.
 */
import type { GeneratedImage } from '../types'

export interface PictureOptions {
  /** How wide the image is drawn, for the browser's choice of width. @default image.sizes, else '100vw' */
  sizes?: string
  /** @default 'lazy', or 'eager' when `fetchpriority` is 'high' (a lazy image is never fetched early) */
  loading?: 'lazy' | 'eager'
  /** @default 'async' */
  decoding?: 'async' | 'sync' | 'auto'
  /** Set it to `'high'` for the largest image above the fold. @default not set */
  fetchpriority?: 'high' | 'low' | 'auto'
  /** Class of the `<img>`. @default not set */
  class?: string
  /** Overrides the asset's `alt`. @default image.alt */
  alt?: string
}

export interface SourceAttributes {
  type: string
  srcset: string
  sizes: string
}

export interface ImgAttributes {
  src: string
  srcset: string
  sizes: string
  width: number
  height: number
  alt: string
  loading: 'lazy' | 'eager'
  decoding: 'async' | 'sync' | 'auto'
  fetchpriority?: 'high' | 'low' | 'auto'
  class?: string
  /** The blurred placeholder as a background, which the loaded image covers; absent for a transparent image. */
  style?: string
}

export interface PictureAttributes {
  /** One per format of `image.sources` but the fallback's, in order. */
  sources: SourceAttributes[]
  img: ImgAttributes
}

/** What a browser assumes without `sizes`. */
const DEFAULT_SIZES = '100vw'

export function pictureAttributes(image: GeneratedImage, options: PictureOptions = {}): PictureAttributes {
  const sizes = options.sizes ?? image.sizes ?? DEFAULT_SIZES
  const fallbackType = image.format === 'svg' ? 'image/svg+xml' : `image/${image.format}`
  // Every browser shows SVG, and would take any raster <source> over it: an SVG asset is its <img> alone.
  const sources = image.format === 'svg'
    ? []
    : image.sources
        .filter(source => source.type !== fallbackType)
        .map(source => ({ type: source.type, srcset: source.srcset, sizes }))
  const style = placeholderDeclarations(image).map(([property, value]) => `${property}:${value}`).join(';')
  const img: ImgAttributes = {
    src: image.src,
    srcset: image.srcset,
    sizes,
    width: image.width,
    height: image.height,
    alt: options.alt ?? image.alt,
    loading: options.loading ?? (options.fetchpriority === 'high' ? 'eager' : 'lazy'),
    decoding: options.decoding ?? 'async',
  }
  // Optional attributes are left out rather than set to undefined, so that spreading them adds nothing.
  if (options.fetchpriority)
    img.fetchpriority = options.fetchpriority
  if (options.class)
    img.class = options.class
  if (style)
    img.style = style
  return { sources, img }
}

/**
 * The placeholder as CSS declarations: the dominant color under the blurred
 * preview, stretched over the `<img>`'s box. The loaded image paints over it,
 * so no script removes it. A transparent image would let it show through, so
 * it gets none.
 */
export function placeholderDeclarations(image: Pick<GeneratedImage, 'placeholder' | 'color' | 'transparent'>): [string, string][] {
  if (image.transparent)
    return []
  const declarations: [string, string][] = []
  // The color goes into CSS as it is: accept only a hex color, never anything that could end the declaration.
  if (/^#[0-9a-f]{3,8}$/i.test(image.color))
    declarations.push(['background-color', image.color])
  if (image.placeholder)
    declarations.push(['background-image', `url("${cssString(image.placeholder)}")`])
  if (declarations.length > 0)
    declarations.push(['background-position', 'center'], ['background-size', 'cover'], ['background-repeat', 'no-repeat'])
  return declarations
}

/** The inside of a double-quoted CSS string. */
function cssString(value: string): string {
  return value.replace(/["\\\n\r\f]/g, char => `\\${char.charCodeAt(0).toString(16)} `)
}
