/** `vite dev`: nothing is emitted; URLs point at the dev server's middleware (../dev-files.ts). */
import type { Emitter } from './types'
import { devFileUrl, servedBy } from '../dev-files'

export function devEmitter(base: string): Emitter {
  return { url: (_, file) => JSON.stringify(devFileUrl(base, file)), loaded: servedBy }
}
