import type { GeneratedImage } from 'unplugin-ai-assets'
import lake from '~ai-assets/gallery/lake'
import nightSky from '~ai-assets/gallery/night-sky'
import hero from '~ai-assets/hero'
import logoUrl from '~ai-assets/logo?url'

/**
 * A responsive <picture>: one <source> per format, the blurred placeholder
 * and the dominant color behind the image until it loads.
 */
function picture(image: GeneratedImage, sizes: string, eager = false): string {
  const sources = image.sources.map(source => `<source type="${source.type}" srcset="${source.srcset}" sizes="${sizes}">`).join('')
  const style = `background: ${image.color} url('${image.placeholder}') center / cover no-repeat`
  return `<picture>${sources}<img src="${image.src}" srcset="${image.srcset}" sizes="${sizes}" width="${image.width}" height="${image.height}" alt="${image.alt}" style="${style}" loading="${eager ? 'eager' : 'lazy'}" decoding="async"></picture>`
}

document.querySelector<HTMLDivElement>('#app')!.innerHTML = `
  <header><img class="logo" src="${logoUrl}" alt="Pinewood logo" width="48" height="48"> Pinewood</header>
  <section class="hero">${picture(hero, '100vw', true)}</section>
  <section class="gallery">
    <figure>${picture(lake, '(min-width: 800px) 50vw, 100vw')}<figcaption>${lake.alt}</figcaption></figure>
    <figure>${picture(nightSky, '(min-width: 800px) 50vw, 100vw')}<figcaption>${nightSky.alt}</figcaption></figure>
  </section>
`
