/**
 * The folder Vite's build puts assets in, where the images go too. A
 * framework that names its assets itself through `output.assetFileNames`
 * (SvelteKit: `_app/immutable/assets/[name].[hash][extname]`, a folder that
 * hosts cache forever) is followed; otherwise it is `build.assetsDir`.
 */
interface BuildConfig {
  assetsDir: string
  rollupOptions?: { output?: unknown }
  rolldownOptions?: { output?: unknown }
}

export function viteAssetsDir(build: BuildConfig): string {
  const output = build.rolldownOptions?.output ?? build.rollupOptions?.output
  const pattern = output && !Array.isArray(output) ? (output as { assetFileNames?: unknown }).assetFileNames : undefined
  if (typeof pattern !== 'string')
    return build.assetsDir
  const folder = pattern.slice(0, pattern.lastIndexOf('/') + 1).replace(/\/+$/, '')
  // A folder made of placeholders (`[ext]/[name]…`) differs per file: content-hashed names need one folder.
  return folder.includes('[') ? build.assetsDir : folder
}
