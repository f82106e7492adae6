import { defineConfig } from 'vite'
import AiAssets from 'unplugin-ai-assets/vite'

export default defineConfig({
  plugins: [AiAssets()],
})
