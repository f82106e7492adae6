/** `vite dev`: nothing is emitted; URLs point at the dev server's middleware (../dev-server.ts). */
import type { createDevFiles } from '../dev-server'
import type { Emitter } from './types'

export function devEmitter(dev: ReturnType<typeof createDevFiles>): Emitter {
  return { url: (_, file) => JSON.stringify(dev.url(file)) }
}
