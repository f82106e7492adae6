/**
 * Model tables of Recraft V4.1 (README: Providers, sizes; SVG, transparency and brand styles):
 * the 1K and 2K size tables every provider shares, and which vector model
 * answers `vector: true` for each model of a provider.
 */
export const SIZES_1K = [
  '1024x1024',
  '1536x768',
  '768x1536',
  '1280x832',
  '832x1280',
  '1216x896',
  '896x1216',
  '1152x896',
  '896x1152',
  '832x1344',
  '1280x896',
  '896x1280',
  '1344x768',
  '768x1344',
] as const

export const SIZES_2K = [
  '2048x2048',
  '3072x1536',
  '1536x3072',
  '2560x1664',
  '1664x2560',
  '2432x1792',
  '1792x2432',
  '2304x1792',
  '1792x2304',
  '1664x2688',
  '2560x1792',
  '1792x2560',
  '2688x1536',
  '1536x2688',
] as const

/**
 * A provider's vector models: each model id (raster or vector) → the vector
 * model of its tier. A vector model maps to itself, so that choosing one as
 * the provider's `model` makes every asset SVG.
 */
export type VectorModels = Readonly<Record<string, string>>

/** Whether `model` is one of the vector models of the table. */
export function isVectorModel(vectorModels: VectorModels | undefined, model: string): boolean {
  return !!vectorModels && vectorModels[model] === model
}
