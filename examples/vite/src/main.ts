import lake from '~ai-assets/gallery/lake'
import nightSky from '~ai-assets/gallery/night-sky'
import hero from '~ai-assets/hero'
import logoUrl from '~ai-assets/logo?url'
import { renderPicture } from 'unplugin-ai-assets/picture'

// renderPicture: one <source> per modern format, the JPEG fallback in <img>, and the blurred
// placeholder behind it until it loads. `sizes` comes from assets.config.ts.
document.querySelector<HTMLDivElement>('#app')!.innerHTML = `
  <header><img class="logo" src="${logoUrl}" alt="Pinewood logo" width="48" height="48"> Pinewood</header>
  <section class="hero">${renderPicture(hero, { fetchpriority: 'high' })}</section>
  <section class="gallery">
    <figure>${renderPicture(lake)}<figcaption>${lake.alt}</figcaption></figure>
    <figure>${renderPicture(nightSky)}<figcaption>${nightSky.alt}</figcaption></figure>
  </section>
`
