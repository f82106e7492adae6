/**
 * Real SVG documents as Recraft's vector models answer them, and a malicious
 * one carrying every construct the sanitiser must remove, each marked with a
 * string that must not survive.
 */

/** A clean logo: a gradient referenced by `url(#…)`, an xlink `<use>` of a local symbol, a viewBox. */
export function logoSvg(width: number, height: number, color: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${color}"/><stop offset="1" stop-color="#ffffff"/></linearGradient>
    <symbol id="peak" viewBox="0 0 10 10"><path d="M0 10 L5 0 L10 10 Z" fill="#1f2937"/></symbol>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <circle cx="${width / 2}" cy="${height / 3}" r="${Math.round(width / 8)}" fill="#f59e0b"/>
  <use xlink:href="#peak" x="0" y="${height / 2}" width="${width}" height="${height / 2}"/>
</svg>
`)
}

/** What must not survive sanitising, by rule. */
export const MALICIOUS_MARKERS = {
  'script': ['<script', 'alert(1)'],
  'event handlers': ['onload', 'onclick', 'onmouseover', 'stolen()'],
  'javascript: URLs': ['javascript:'],
  'external references': ['evil.example', '@import'],
  'foreignObject': ['foreignObject', '<iframe', 'https://evil.example/frame'],
} as const

/** A logo that tries each attack a downloaded SVG can carry; the drawing itself must survive. */
export function maliciousSvg(width: number, height: number): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" onload="stolen()">
  <script type="text/javascript">alert(1)</script>
  <style>@import url("https://evil.example/track.css"); .a { fill: url(https://evil.example/paint.svg#p) }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0ea5e9"/><stop offset="1" stop-color="#22c55e"/></linearGradient></defs>
  <rect id="keep" width="${width}" height="${height}" fill="url(#g)" onclick="stolen()"/>
  <a xlink:href="javascript:stolen()"><circle cx="${width / 2}" cy="${height / 2}" r="${width / 4}" fill="#ef4444" onmouseover="stolen()"/></a>
  <a href="javascript:alert(1)"><text x="10" y="30">click</text></a>
  <image href="https://evil.example/pixel.png" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <path d="M0 0 L${width} ${height}" stroke="#000" style="fill: url('https://evil.example/x.svg#y')"/>
  <foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/frame"></iframe></foreignObject>
</svg>
`)
}
