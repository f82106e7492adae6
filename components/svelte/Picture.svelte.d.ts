import type { Component } from 'svelte'
import type { GeneratedImage, PictureOptions } from 'unplugin-ai-assets/picture'

export interface PictureProps extends PictureOptions {
  /** The imported image: `import hero from '~ai-assets/hero'`. */
  image: GeneratedImage
}

declare const Picture: Component<PictureProps>
export default Picture
