// unplugin-ai-assets/svelte: shipped as source, compiled by the app's Svelte (the `svelte` export condition).
export { default as Picture } from './Picture.svelte'
