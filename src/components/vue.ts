/**
 * `unplugin-ai-assets/vue`: `<Picture :image="hero" />`. A render function,
 * so no SFC compiler is needed; renders on the server with no client
 * JavaScript, and the markup is `pictureAttributes`'s.
 */
import type { PropType } from 'vue'
import type { PictureOptions } from '../picture/attributes'
import type { GeneratedImage } from '../types'
import { defineComponent, h, normalizeClass } from 'vue'
import { pictureAttributes } from '../picture/attributes'

export const Picture = defineComponent({
  name: 'Picture',
  // `class` goes on the <img>, not on <picture> where Vue would put it.
  inheritAttrs: false,
  props: {
    /** The imported image: `import hero from '~ai-assets/hero'`. */
    image: { type: Object as PropType<GeneratedImage>, required: true },
    /** @default image.sizes, else '100vw' */
    sizes: String,
    /** @default 'lazy', or 'eager' when `fetchpriority` is 'high' */
    loading: String as PropType<PictureOptions['loading']>,
    /** @default 'async' */
    decoding: String as PropType<PictureOptions['decoding']>,
    /** @default not set */
    fetchpriority: String as PropType<PictureOptions['fetchpriority']>,
    /** Overrides the asset's `alt`. @default image.alt */
    alt: String,
  },
  setup(props, { attrs }) {
    return () => {
      const { image, ...options } = props
      const className = normalizeClass(attrs.class)
      const { sources, img } = pictureAttributes(image, { ...options, class: className || undefined })
      return h('picture', [...sources.map(source => h('source', { key: source.type, ...source })), h('img', { ...img })])
    }
  },
})

export type { GeneratedImage, PictureOptions }
