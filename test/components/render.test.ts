/**
 * The picture components rendered on the server by each framework's own
 * renderer (react-dom/server, vue/server-renderer, Svelte's compiler and
 * svelte/server) give the markup of `renderPicture`, the helper they all
 * build on.
 */
import type { GeneratedImage } from 'unplugin-ai-assets/picture'
import type { Props } from './markup'
import { pictureAttributes, renderPicture } from 'unplugin-ai-assets/picture'
import { describe, expect, it } from 'vitest'
import { elements, renderReact, renderSvelteComponent, renderVueComponent } from './markup'

/** What `formats: ['avif', 'webp']` gives for an opaque image: a JPEG fallback. */
const hero: GeneratedImage = {
  src: '/assets/hero-960.1a2b3c4d.jpg',
  width: 960,
  height: 480,
  format: 'jpeg',
  srcset: '/assets/hero-480.0b9d4c11.jpg 480w, /assets/hero-960.1a2b3c4d.jpg 960w',
  sources: [
    { type: 'image/avif', srcset: '/assets/hero-480.5e6f7a8b.avif 480w, /assets/hero-960.8c1f2e3a.avif 960w' },
    { type: 'image/webp', srcset: '/assets/hero-480.51e0aa2c.webp 480w, /assets/hero-960.d4a8b7f0.webp 960w' },
  ],
  sizes: '(min-width: 960px) 960px, 100vw',
  placeholder: 'data:image/webp;base64,UklGRjIAAABXRUJQVlA4ICYAAACyAgCdASoQAAgAAUAmJaQAA3AA/vuUAAA=',
  color: '#2f4a3b',
  transparent: false,
  alt: 'A cabin among tall pines',
}

/** `formats: ['webp', 'png']` for a transparent logo: the PNG is the fallback, and there is no placeholder. */
const logo: GeneratedImage = {
  ...hero,
  src: '/assets/logo-256.aa11bb22.png',
  width: 256,
  height: 256,
  format: 'png',
  srcset: '/assets/logo-256.aa11bb22.png 256w',
  sources: [{ type: 'image/webp', srcset: '/assets/logo-256.cc33dd44.webp 256w' }, { type: 'image/png', srcset: '/assets/logo-256.aa11bb22.png 256w' }],
  sizes: '100vw',
  transparent: true,
  alt: 'Logo',
}

/** `vector: true, formats: ['svg', 'png']`: the SVG is the <img>, the PNG a fallback for elsewhere. */
const mark: GeneratedImage = {
  ...logo,
  src: '/assets/mark-1024.ee55ff66.svg',
  width: 1024,
  height: 1024,
  format: 'svg',
  srcset: '/assets/mark-1024.ee55ff66.svg 1024w',
  sources: [{ type: 'image/svg+xml', srcset: '/assets/mark-1024.ee55ff66.svg 1024w' }, { type: 'image/png', srcset: '/assets/mark-256.aa11bb22.png 256w' }],
  alt: 'Acme',
}

const CASES: [string, Props][] = [
  ['an SVG asset', { image: mark }],
  ['defaults', { image: hero }],
  ['every option', { image: hero, sizes: '50vw', loading: 'eager', decoding: 'sync', fetchpriority: 'low', class: 'hero wide', alt: 'Overridden' }],
  ['fetchpriority high (eager unless told)', { image: hero, fetchpriority: 'high' }],
  ['a transparent image whose fallback is one of its formats', { image: logo, class: 'logo' }],
  ['an alt with every character to escape', { image: { ...hero, alt: `"Quotes" & <tags> it's` } }],
]

describe('every component renders the markup of renderPicture', () => {
  it.each(CASES)('%s', async (_name, props) => {
    const { image, ...options } = props
    const expected = elements(renderPicture(image, options))
    expect(elements(renderReact(props)), 'React').toEqual(expected)
    expect(elements(await renderVueComponent(props)), 'Vue').toEqual(expected)
    expect(elements(await renderSvelteComponent(props)), 'Svelte').toEqual(expected)
  })

  it('React takes className too', () => {
    expect(elements(renderReact({ image: hero, className: 'a' }))).toEqual(elements(renderPicture(hero, { class: 'a' })))
  })
})

describe('renderPicture', () => {
  it('gives one <source> per modern format and an <img> for the fallback, with the placeholder behind it', () => {
    expect(renderPicture(hero)).toBe(
      '<picture>'
      + '<source type="image/avif" srcset="/assets/hero-480.5e6f7a8b.avif 480w, /assets/hero-960.8c1f2e3a.avif 960w" sizes="(min-width: 960px) 960px, 100vw">'
      + '<source type="image/webp" srcset="/assets/hero-480.51e0aa2c.webp 480w, /assets/hero-960.d4a8b7f0.webp 960w" sizes="(min-width: 960px) 960px, 100vw">'
      + '<img src="/assets/hero-960.1a2b3c4d.jpg" srcset="/assets/hero-480.0b9d4c11.jpg 480w, /assets/hero-960.1a2b3c4d.jpg 960w" sizes="(min-width: 960px) 960px, 100vw"'
      + ' width="960" height="480" alt="A cabin among tall pines" loading="lazy" decoding="async"'
      + ' style="background-color:#2f4a3b;background-image:url(&quot;data:image/webp;base64,UklGRjIAAABXRUJQVlA4ICYAAACyAgCdASoQAAgAAUAmJaQAA3AA/vuUAAA=&quot;);background-position:center;background-size:cover;background-repeat:no-repeat">'
      + '</picture>',
    )
  })

  it('escapes every attribute value', () => {
    const html = renderPicture({ ...hero, src: '/a.jpg?x="1"&y=<2>' }, { alt: `"Quotes" & <tags> it's`, class: 'a"b', sizes: '"><script>' })
    expect(html).toContain(`alt="&quot;Quotes&quot; &amp; &lt;tags&gt; it&#39;s"`)
    expect(html).toContain(`src="/a.jpg?x=&quot;1&quot;&amp;y=&lt;2&gt;"`)
    expect(html).toContain(`class="a&quot;b"`)
    expect(html).not.toContain('<script>')
    // Nothing but the three elements: no value broke out of its attribute.
    expect(elements(html).map(e => e.tag)).toEqual(['picture', 'source', 'source', 'img'])
    expect(elements(html).at(-1)!.attributes.alt).toBe(`"Quotes" & <tags> it's`)
  })

  it('never lets the color or the placeholder end the style declaration', () => {
    const { img } = pictureAttributes({ ...hero, color: 'red;position:fixed', placeholder: 'data:x")";position:fixed;x:("' })
    // A color that is not #hex is left out; the placeholder's quotes are escaped, so it stays one CSS string.
    expect(img.style).not.toContain('background-color')
    expect(img.style).toMatch(/^background-image:url\("data:x\\22 \)\\22 ;position:fixed;x:\(\\22 "\);/)
  })
})

describe('pictureAttributes', () => {
  it('writes an SVG asset as its <img> alone: a raster <source> would be taken over it', () => {
    const { sources, img } = pictureAttributes(mark)
    expect(sources).toEqual([])
    expect(img).toMatchObject({ src: mark.src, width: 1024, height: 1024, alt: 'Acme' })
    expect(img.style).toBeUndefined()
  })

  it('gives plain objects without the attributes that are not set', () => {
    const { sources, img } = pictureAttributes(logo)
    expect(sources).toEqual([{ type: 'image/webp', srcset: '/assets/logo-256.cc33dd44.webp 256w', sizes: '100vw' }])
    expect(img).toEqual({ src: logo.src, srcset: logo.srcset, sizes: '100vw', width: 256, height: 256, alt: 'Logo', loading: 'lazy', decoding: 'async' })
    expect(Object.getPrototypeOf(img)).toBe(Object.prototype)
  })
})
