import type { AssetsConfig } from '../types'

/**
 * Identity, for types: palette names used by `palette` fields are checked
 * against `palettes`, and every field is documented in the editor.
 */
export function defineAssets<P extends string = never>(config: AssetsConfig<P>): AssetsConfig<P> {
  return config
}
