// unplugin-ai-assets/astro/components: shipped as source, compiled by the app's Astro.
export { default as Picture } from './Picture.astro'
