/**
 * `unplugin-ai-assets/react`: `<Picture image={hero} />`. Renders on the
 * server with no client JavaScript; the markup is `pictureAttributes`'s.
 */
import type { CSSProperties, ReactElement } from 'react'
import type { PictureOptions } from '../picture/attributes'
import type { GeneratedImage } from '../types'
import { createElement, version } from 'react'
import { pictureAttributes, placeholderDeclarations } from '../picture/attributes'

export interface PictureProps extends Omit<PictureOptions, 'class'> {
  /** The imported image: `import hero from '~ai-assets/hero'`. */
  image: GeneratedImage
  /** Class of the `<img>`. @default not set */
  className?: string
  /** Same as `className`, for code shared with other frameworks. @default not set */
  class?: string
}

/** React 19 knows `fetchPriority`; React 18 warns about it and wants the attribute's own name. */
const FETCH_PRIORITY = Number.parseInt(version) >= 19 ? 'fetchPriority' : 'fetchpriority'

/** `background-color` → `backgroundColor`: React takes styles as an object. */
const camelCase = (property: string) => property.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())

export function Picture({ image, className, class: classAttribute, ...options }: PictureProps): ReactElement {
  const { sources, img } = pictureAttributes(image, { ...options, class: className ?? classAttribute })
  const style = Object.fromEntries(placeholderDeclarations(image).map(([property, value]) => [camelCase(property), value])) as CSSProperties
  return createElement(
    'picture',
    null,
    ...sources.map(source => createElement('source', { key: source.type, type: source.type, srcSet: source.srcset, sizes: source.sizes })),
    createElement('img', {
      src: img.src,
      srcSet: img.srcset,
      sizes: img.sizes,
      width: img.width,
      height: img.height,
      alt: img.alt,
      loading: img.loading,
      decoding: img.decoding,
      [FETCH_PRIORITY]: img.fetchpriority,
      className: img.class,
      style: img.style ? style : undefined,
    }),
  )
}

export type { GeneratedImage, PictureOptions }
