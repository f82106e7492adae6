/**
 * What a provider can do beyond text to image (README: SVG, transparency and
 * brand styles). The config checks an asset's fields against its provider's
 * list when it loads, so that nothing is paid for a run that would fail
 * half-way, and the error names the providers that can.
 */
export type Capability
  /** `vector: true`: a vector model of the same tier answers SVG. */
  = | 'vector'
  /** `transparent: true` on a raster asset: a background-removal endpoint. */
    | 'transparent'
  /** `transparent: true` on an SVG asset: background removal that keeps SVG (SVG in, SVG out). */
    | 'transparent-svg'
  /** `vectorize: true`: raster in, SVG out. */
    | 'vectorize'
  /** `brand`: a style made from reference images, reused by every asset of the brand. */
    | 'brands'
  /** `strength` with a reference `image`: documented image-to-image. */
    | 'strength'

/** How a capability is named in config errors. */
export const CAPABILITY_LABELS: Record<Capability, string> = {
  'vector': 'SVG generation (`vector: true`)',
  'transparent': 'background removal (`transparent: true`)',
  'transparent-svg': 'background removal of an SVG that keeps it SVG (`transparent: true` with `vector: true`)',
  'vectorize': 'vectorizing (`vectorize: true`)',
  'brands': 'brand styles (`brand`)',
  'strength': 'image-to-image with `strength`',
}
