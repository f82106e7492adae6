/**
 * The offline placeholder of an SVG asset is an SVG too, so that a project
 * whose icons are inlined with `?raw` builds before it has an API key: the
 * palette's background, a band per palette colour, the asset's name. Same
 * request, same bytes.
 */
import type { GenerateRequest } from '../types'
import { toHex } from '../../common/colors'

const LIGHT: [number, number, number] = [241, 245, 249]
const NEUTRAL: [number, number, number][] = [[148, 163, 184], [100, 116, 139]]

const escapeXml = (text: string) => text.replace(/[<>&"']/g, c => `&#${c.charCodeAt(0)};`)

export function placeholderSvg(request: GenerateRequest): Buffer {
  const { width, height } = request
  const colors = request.colors.length > 0 ? request.colors : NEUTRAL
  const band = height / (colors.length + 2)
  const bands = colors.map((color, i) => `<rect y="${((i + 1) * band).toFixed(2)}" width="${width}" height="${(band / 2).toFixed(2)}" fill="${toHex(color)}"/>`).join('')
  const size = Math.max(8, Math.round(Math.min(width, height) / 16))
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<rect width="${width}" height="${height}" fill="${toHex(request.background ?? LIGHT)}"/>${bands}`
    + `<text x="${width / 2}" y="${height - size}" font-family="sans-serif" font-size="${size}" text-anchor="middle" fill="#334155">${escapeXml(`${request.asset} ${width}x${height}`)}</text></svg>\n`)
}
