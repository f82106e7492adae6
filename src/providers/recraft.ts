import type { BuiltinProvider } from './index'
import { SIZES_1K, SIZES_2K } from './models'
import { notYetImplemented } from './not-yet'

/** Recraft V4.1 on Recraft's own API (PROVIDERS.md §3). */
export const recraft: BuiltinProvider = {
  defaultModel: 'recraftv4_1',
  models: { recraftv4_1: SIZES_1K, recraftv4_1_pro: SIZES_2K },
  credentials: ['RECRAFT_API_TOKEN'],
  create: settings => notYetImplemented(settings),
}
