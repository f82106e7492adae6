import type { BuiltinProvider } from './index'
import { SIZES_1K, SIZES_2K } from './models'
import { notYetImplemented } from './not-yet'

/** Recraft V4.1 on Runware (PROVIDERS.md §2). */
export const runware: BuiltinProvider = {
  defaultModel: 'recraft:v4.1@0',
  models: { 'recraft:v4.1@0': SIZES_1K, 'recraft:v4.1-pro@0': SIZES_2K },
  credentials: ['RUNWARE_API_KEY'],
  create: settings => notYetImplemented(settings),
}
