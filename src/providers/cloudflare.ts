import type { BuiltinProvider } from './index'
import { SIZES_1K } from './models'
import { notYetImplemented } from './not-yet'

/** Recraft V4.1 on Cloudflare Workers AI (PROVIDERS.md §1). */
export const cloudflare: BuiltinProvider = {
  defaultModel: 'recraft/recraftv4-1',
  models: { 'recraft/recraftv4-1': SIZES_1K },
  credentials: ['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN'],
  create: settings => notYetImplemented(settings),
}
