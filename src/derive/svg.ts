/**
 * A provider's SVG is untrusted input. Before any of it reaches a bundle, a
 * manifest or a `?raw` string it is sanitised with DOMPurify's SVG profile
 * (on jsdom, the server DOM DOMPurify is tested against), then optimised
 * with SVGO keeping the `viewBox` (README: SVG assets). The rules, each
 * proved by a malicious fixture in the tests:
 * - no `<script>` and no `<foreignObject>` (HTML inside an SVG);
 * - no event handlers (`onload`, `onclick`…);
 * - no `javascript:` URL and no external reference: `href`s point inside the
 *   document (`#id`) or are inline raster `data:` images, CSS `url()` only to
 *   `#id`, no `@import`.
 * Both libraries are loaded on first use, so builds without SVG assets never load them.
 */
import type { DOMPurify } from 'dompurify'

export interface SafeSvg {
  /** The sanitised, optimised markup: what ships. */
  markup: string
}

/** References that stay inside the document, or inline raster images, which cannot run code. */
const SAFE_HREF = /^\s*(?:#[\w.:-]*\s*|data:image\/(?:png|jpe?g|gif|webp);base64,[\w+/=\s]*)$/i
/** A CSS `url(…)` to anything but a fragment of this document. */
const EXTERNAL_CSS_URL = /url\((?!\s*(?:['"]\s*)?#)[^)]*\)/i
const CSS_IMPORT = /@import/i

let purifier: Promise<DOMPurify> | undefined

async function loadPurifier(): Promise<DOMPurify> {
  const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')])
  const purify = createDOMPurify(new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0])
  purify.addHook('uponSanitizeElement', (node, data) => {
    // A stylesheet that loads anything from elsewhere goes whole: half a rule is no safer.
    if (data.tagName === 'style' && (CSS_IMPORT.test(node.textContent ?? '') || EXTERNAL_CSS_URL.test(node.textContent ?? '')))
      node.parentNode?.removeChild(node)
  })
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    const name = data.attrName.toLowerCase()
    const value = data.attrValue
    const isHref = name === 'href' || name === 'xlink:href' || name === 'src'
    // `<use>` may only repeat a part of this document: one that pulls in another document can carry script.
    if (isHref && (node as unknown as { nodeName: string }).nodeName.toLowerCase() === 'use' && !/^\s*#/.test(value))
      data.keepAttr = false
    else if (isHref && !SAFE_HREF.test(value))
      data.keepAttr = false
    else if (EXTERNAL_CSS_URL.test(value) || CSS_IMPORT.test(value))
      data.keepAttr = false
  })
  return purify
}

/** The markup with everything that could run code or load something removed. */
export async function sanitizeSvg(markup: string): Promise<string> {
  const purify = await (purifier ??= loadPurifier())
  return purify.sanitize(markup, {
    USE_PROFILES: { svg: true, svgFilters: true },
    // DOMPurify's SVG profile already leaves these out; naming them keeps that true whatever its defaults become.
    FORBID_TAGS: ['script', 'foreignObject', 'iframe', 'embed', 'object', 'audio', 'video', 'handler', 'listener'],
    // Icon sets repeat shapes with `<use href="#…">`; the hook above keeps it to local references.
    ADD_TAGS: ['use'],
    // Not in the profile: xlink's namespace declaration, without which `xlink:href` breaks the XML.
    ADD_ATTR: ['xmlns:xlink'],
  })
}

/** Sanitises, then optimises with SVGO (keeping `viewBox`, so that the image scales). */
export async function safeSvg(bytes: Buffer): Promise<SafeSvg> {
  const clean = await sanitizeSvg(bytes.toString('utf8'))
  if (!/^\s*<svg[\s>]/i.test(clean))
    throw new Error(`the SVG has no <svg> root left after sanitising (${bytes.length} bytes starting ${JSON.stringify(bytes.subarray(0, 40).toString('utf8'))})`)
  const { optimize } = await import('svgo')
  const { data } = optimize(withNamespace(clean), {
    multipass: true,
    plugins: [
      { name: 'preset-default', params: { overrides: { removeUnknownsAndDefaults: { keepRoleAttr: true } } } },
      // An optimiser may not bring back what the sanitiser removed: scripts go again, to be sure.
      'removeScripts',
      // SVG 2 `href` in place of `xlink:href`: no namespace left to get wrong.
      'removeXlink',
    ],
  })
  if (!/viewBox=/.test(data) && /viewBox=/.test(clean))
    throw new Error('SVGO dropped the viewBox')
  return { markup: data }
}

/** DOMPurify serialises the `<svg>` as HTML, which needs no namespace; an `.svg` file does. */
function withNamespace(markup: string): string {
  return /^\s*<svg[^>]*\sxmlns=/i.test(markup) ? markup : markup.replace(/^\s*<svg/i, '<svg xmlns="http://www.w3.org/2000/svg"')
}
