/**
 * Reference images (`image:`) are read when the config loads and sent to the
 * provider, so a path is checked first: it must lead, symlinks resolved, to a
 * file inside the project root (the config file's folder) or one of the
 * folders of `allowImagesFrom`, and that file must be an image a provider
 * takes. Otherwise `image: '/etc/hostname'` or `'../../.env'` would send a
 * file that has nothing to do with the project to a paid API.
 */
import type { ReferenceImageLimits } from '../providers/index'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { sha256 } from '../common/hash'
import { headerSize } from '../common/image-size'
import { mimeType } from '../providers/wire'

/** What providers take as a reference image (README "Providers"), by MIME type. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp'])
const TYPE_NAMES = 'PNG, JPEG or WebP'

export const ACCEPTED_IMAGES = `a path to a ${TYPE_NAMES} file, relative to the config file, inside its folder or a folder of \`allowImagesFrom\``

export type ReferenceImage = ReadReference | { problem: string }

export interface ReadReference {
  path: string
  sha256: string
  /** The file's length in bytes. */
  bytes: number
  /** From the header; undefined when it has none that can be read (a damaged file). */
  size?: { width: number, height: number }
}

/** The folders reference images may come from, symlinks resolved: the config's folder first. */
export function imageRoots(configDir: string, allowImagesFrom: readonly string[] = []): string[] {
  return [configDir, ...allowImagesFrom.map(folder => resolve(configDir, folder))].map(realOrSame)
}

/** Checks and reads the reference image `image`, relative to `configDir`. */
export function readReferenceImage(image: string, configDir: string, roots: readonly string[]): ReferenceImage {
  const named = resolve(configDir, image)
  let path: string
  try {
    path = realpathSync(named)
  }
  catch (error) {
    return { problem: `cannot read reference image ${named} (${(error as NodeJS.ErrnoException).code ?? error}). Accepted: ${ACCEPTED_IMAGES}` }
  }
  const shown = path === named ? named : `${named} (a link to ${path})`
  if (!roots.some(root => isInside(path, root))) {
    const folders = roots.map(root => `${root}${sep}`).join(', ')
    return { problem: `reference image ${shown} is outside the project: only files inside ${folders} are read. Accepted: ${ACCEPTED_IMAGES}; add its folder to \`allowImagesFrom\` to read it from elsewhere` }
  }
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    return { problem: `reference image ${shown} is not a file. Accepted: ${ACCEPTED_IMAGES}` }
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  }
  catch (error) {
    return { problem: `cannot read reference image ${shown} (${(error as NodeJS.ErrnoException).code ?? error}). Accepted: ${ACCEPTED_IMAGES}` }
  }
  if (!IMAGE_TYPES.has(mimeType(bytes)))
    return { problem: `reference image ${shown} is not a ${TYPE_NAMES} image, judged by its first bytes. Accepted: ${ACCEPTED_IMAGES}` }
  const header = headerSize(bytes)
  return { path, sha256: sha256(bytes), bytes: bytes.length, ...(header ? { size: { width: header.width, height: header.height } } : {}) }
}

/**
 * Why a reference image is outside what the provider's endpoint takes
 * (builtin.ts `referenceImage`), or undefined: said when the config loads,
 * before anything is paid, rather than by the provider half-way through a run.
 */
export function outsideLimits(reference: ReadReference, limits: ReferenceImageLimits): string | undefined {
  const { endpoint, minSide, maxSide, maxBytes } = limits
  const accepted = `Accepted: a ${TYPE_NAMES} file of at most ${megabytes(maxBytes)} with each side from ${minSide} to ${maxSide} px`
  const what = `reference image ${reference.path}`
  if (reference.bytes > maxBytes)
    return `${what} is ${megabytes(reference.bytes)}, more than ${endpoint} takes. ${accepted}`
  if (!reference.size)
    return `${what} has no size that can be read from its header, so it is damaged. ${accepted}`
  const { width, height } = reference.size
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide)
    return `${what} is ${width}×${height} px, outside what ${endpoint} takes: resize it. ${accepted}`
  return undefined
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB (${bytes.toLocaleString('en')} bytes)`
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

/** A folder's real path, or the path itself while it does not exist (nothing can be read from it then). */
function realOrSame(path: string): string {
  try {
    return realpathSync(path)
  }
  catch {
    return path
  }
}
