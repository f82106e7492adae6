/**
 * SVG recognised by its bytes, never by a URL or a file extension: providers
 * answer SVG under links ending in `.jpg` (Cloudflare's documented examples),
 * and a download may come with any Content-Type.
 */

/** Whether the bytes are an SVG document: `<svg` as the first element, after an optional BOM, XML declaration, comments and doctype. */
export function isSvg(bytes: Uint8Array): boolean {
  // A header of reasonable size: comments and a doctype rarely exceed a few KB.
  let text = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '')
  for (;;) {
    const trimmed = text.trimStart()
    const skip = /^<\?xml[\s\S]*?\?>|^<!--[\s\S]*?-->|^<!DOCTYPE[^>[]*(?:\[[\s\S]*?\]\s*)?>/i.exec(trimmed)
    if (!skip)
      return /^<svg[\s>/]/i.test(trimmed)
    text = trimmed.slice(skip[0].length)
  }
}
