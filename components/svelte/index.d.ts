export { default as Picture } from './Picture.svelte'
export type { PictureProps } from './Picture.svelte'
