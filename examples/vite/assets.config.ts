import { defineAssets } from 'unplugin-ai-assets'

export default defineAssets({
  // Recraft V4.1 on Runware. Without RUNWARE_API_KEY every asset is an offline placeholder
  // drawn from its palette (never stored), so the example builds before you have a key.
  provider: 'runware',
  palettes: {
    forest: { colors: ['#2f5d50', '#e07a5f', '#f2cc8f'], background: '#f4f1de' },
    night: { colors: ['midnightblue', 'rgb(255 209 102)'], background: '#0b1320' },
  },
  defaults: { palette: 'forest', widths: [480, 960], formats: ['avif', 'webp'], sizes: '(min-width: 800px) 50vw, 100vw' },
  assets: {
    'hero': {
      prompt: 'A cozy cabin in the woods surrounded by tall pine trees, smoke rising from the chimney',
      size: '1536x768',
      sizes: '100vw',
      alt: 'A cabin among tall pines, smoke rising from its chimney',
    },
    'gallery/lake': {
      prompt: 'A still mountain lake at dawn, mist over the water, one red canoe',
      alt: 'A red canoe on a misty lake',
    },
    'gallery/night-sky': {
      prompt: 'A night sky full of stars above a quiet village, warm light in the windows',
      palette: 'night',
      alt: 'Stars above a village at night',
    },
    'logo': {
      prompt: 'A minimalist logo of a mountain range with a sun rising behind it',
      background: '#ffffff',
      formats: ['png'],
      widths: [128, 256],
      alt: 'Pinewood logo',
    },
  },
})
