// Ambient types for `~ai-assets/*`, for projects that do not use the generated ai-assets.d.ts.
// Add `"types": ["unplugin-ai-assets/client"]` to tsconfig.json, or `/// <reference types="unplugin-ai-assets/client" />`.
declare module '~ai-assets/*?url' {
  const src: string
  export default src
}

declare module '~ai-assets/*?srcset' {
  const srcset: string
  export default srcset
}

declare module '~ai-assets/*?raw' {
  const markup: string
  export default markup
}

declare module '~ai-assets/*' {
  const image: import('unplugin-ai-assets').GeneratedImage
  export default image
}
