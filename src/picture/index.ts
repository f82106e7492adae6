/** `unplugin-ai-assets/picture`: the framework-free `<picture>` helper. */
export type { GeneratedImage } from '../types'
export type { ImgAttributes, PictureAttributes, PictureOptions, SourceAttributes } from './attributes'
export { pictureAttributes } from './attributes'
export { escapeHtml, renderPicture } from './render'
