/**
 * The zod schema of `assets.config.ts` (README "Config reference"). It checks shapes only;
 * what needs the rest of the config (a palette's name, the model's sizes, a
 * file on disk) is checked in resolve.ts.
 */
import type { ConfigIssue } from './errors'
import { z } from 'zod'
import { ACCEPTED_COLORS, parseColor } from '../common/colors'
import { ACCEPTED_ASPECTS } from './geometry'
import { ACCEPTED_IMAGES } from './reference-image'
import { didYouMean } from './suggest'

export const FORMATS = ['avif', 'webp', 'png', 'jpeg'] as const
/** Formats every current browser shows in `<img>`; avif is left out: Safari before 16 and Edge before 121 show none. */
export const FALLBACK_FORMATS = ['jpeg', 'png', 'webp'] as const
export const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const

/** What each field accepts, appended to every problem found in it. */
const ACCEPTS: Record<string, string> = {
  prompt: 'a string of 1–10000 characters',
  size: '"WxH" in pixels, e.g. "1024x1024"',
  palette: 'the name of an entry of `palettes`, or { colors?, background? }',
  colors: `an array of colors: ${ACCEPTED_COLORS}`,
  background: ACCEPTED_COLORS,
  style: 'a non-empty string',
  substyle: 'a non-empty string',
  image: ACCEPTED_IMAGES,
  variants: 'a whole number from 1 to 6',
  vector: 'true (an SVG from the provider\'s vector model) or false',
  transparent: 'true (the background is removed after generation) or false',
  vectorize: 'true (a raster original is turned into SVG) or false',
  brand: 'the name of an entry of `brands`',
  strength: 'a number from 0 (keep the reference image) to 1 (move freely), with `image`',
  brands: 'an object mapping brand names to { references: [paths of 1–10 PNG, JPEG or WebP files] }',
  references: `1–10 paths, each ${ACCEPTED_IMAGES}`,
  providerOptions: 'an object, passed to the provider as it is',
  widths: 'a non-empty array of positive whole numbers, e.g. [480, 960]',
  formats: `a non-empty array of ${FORMATS.map(f => `"${f}"`).join(', ')}, and "svg" for an SVG asset`,
  fallbackFormat: `${FALLBACK_FORMATS.map(f => `"${f}"`).join(', ')} (the <img> fallback must be a format every browser shows, so not "avif")`,
  sizes: 'a non-empty string, the HTML sizes attribute, e.g. "(min-width: 960px) 960px, 100vw"',
  quality: 'a whole number from 1 to 100',
  aspect: ACCEPTED_ASPECTS,
  fit: FITS.map(f => `"${f}"`).join(', '),
  trim: 'true, false, or a threshold from 1 to 255',
  alt: 'a string',
  store: 'a folder path relative to the config file',
  budget: 'a positive number of US dollars, the most one run may spend, e.g. 5',
  allowImagesFrom: 'an array of folder paths, relative to the config file, that reference images may also come from',
  assets: 'an object mapping asset names to { prompt, … }',
  palettes: 'an object mapping palette names to { colors?, background? }',
  defaults: 'an object with any asset field but prompt',
}

const color = z.any().transform((value, ctx) => {
  const rgb = parseColor(value)
  if (!rgb) {
    ctx.addIssue({ code: 'custom', message: `${show(value)} is not a color` })
    return z.NEVER
  }
  return rgb
})

const palette = z.strictObject({
  colors: z.array(color).optional(),
  background: color.optional(),
})

const generationFields = {
  size: z.string().regex(/^[1-9]\d*x[1-9]\d*$/).optional(),
  palette: z.union([z.string().min(1), palette]).optional(),
  colors: palette.shape.colors,
  background: palette.shape.background,
  style: z.string().min(1).optional(),
  substyle: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
  variants: z.number().int().min(1).max(6).optional(),
  providerOptions: z.record(z.string(), z.unknown()).optional(),
  vector: z.boolean().optional(),
  transparent: z.boolean().optional(),
  vectorize: z.boolean().optional(),
  brand: z.string().min(1).optional(),
  strength: z.number().min(0).max(1).optional(),
}

const outputFields = {
  widths: z.array(z.number().int().positive()).min(1).optional(),
  formats: z.array(z.enum([...FORMATS, 'svg'])).min(1).optional(),
  fallbackFormat: z.enum(FALLBACK_FORMATS).optional(),
  sizes: z.string().trim().min(1).optional(),
  quality: z.number().int().min(1).max(100).optional(),
  aspect: z.string().regex(/^\d+(?:\.\d+)?:\d+(?:\.\d+)?$/).optional(),
  fit: z.enum(FITS).optional(),
  trim: z.union([z.boolean(), z.number().int().min(1).max(255)]).optional(),
  alt: z.string().optional(),
}

export const assetSchema = z.strictObject({
  prompt: z.string().min(1).max(10000),
  ...generationFields,
  ...outputFields,
})

export const configSchema = z.strictObject({
  // Provider settings are checked against the provider's own options in resolve.ts.
  provider: z.unknown().optional(),
  store: z.string().min(1).optional(),
  budget: z.number().positive().optional(),
  allowImagesFrom: z.array(z.string().min(1)).optional(),
  brands: z.record(z.string(), z.strictObject({ references: z.array(z.string().min(1)).min(1).max(10) })).optional(),
  palettes: z.record(z.string(), palette).optional(),
  defaults: z.strictObject({ ...generationFields, ...outputFields }).optional(),
  assets: z.record(z.string(), assetSchema),
})

export type ParsedConfig = z.output<typeof configSchema>
export type ParsedAsset = z.output<typeof assetSchema>
export type ParsedPalette = z.output<typeof palette>

/**
 * Zod's issues as ours: one line each, ending with what the field accepts.
 * `fields` lists the accepted keys when the schema is not the config's own.
 */
export function toConfigIssues(error: z.ZodError, fields?: string[]): ConfigIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = fields ?? knownKeys(issue.path)
      const unknown = issue.keys.map(key => `unknown field "${key}"${didYouMean(key, known)}`).join('; ')
      return { path: issue.path, message: `${unknown}. Accepted fields: ${known.join(', ')}` }
    }
    const field = [...issue.path].reverse().find(part => typeof part === 'string' && part in ACCEPTS) as string | undefined
    const accepts = field ? `. Accepted: ${ACCEPTS[field]}` : ''
    return { path: issue.path, message: `${problem(issue)}${accepts}` }
  })
}

/** A value as it appears in a message: JSON, cut short. */
export function show(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 60 ? `${json.slice(0, 57)}…` : json
}

function problem(issue: z.core.$ZodIssue): string {
  const input = 'input' in issue ? issue.input : undefined
  const got = show(input)
  if (issue.code === 'invalid_type')
    return input === undefined ? 'required' : `${got} is not a ${issue.expected}`
  if (issue.code === 'too_small' || issue.code === 'too_big')
    return `${got} is too ${issue.code === 'too_small' ? 'small' : 'large'} (${issue.message.replace(/^Too (small|big): /, '')})`
  if (issue.code === 'invalid_value' || issue.code === 'invalid_format' || issue.code === 'invalid_union')
    return `${got} is not accepted`
  return issue.message
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0)
    return Object.keys(configSchema.shape)
  if (path[0] === 'assets')
    return Object.keys(assetSchema.shape)
  if (path[0] === 'defaults')
    return Object.keys(configSchema.shape.defaults.unwrap().shape)
  return Object.keys(palette.shape)
}
