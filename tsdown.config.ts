import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/vite.ts', 'src/rollup.ts', 'src/rolldown.ts', 'src/webpack.ts', 'src/rspack.ts', 'src/esbuild.ts', 'src/astro.ts', 'src/nuxt.ts', 'src/cli/index.ts', 'src/picture/index.ts', 'src/components/react.ts', 'src/components/vue.ts'],
  format: 'esm',
  dts: true,
  clean: true,
  platform: 'node',
  target: 'node20.19',
  // zod is bundled: loading its many modules took most of a warm build's overhead in a fresh process.
  noExternal: ['zod'],
})
