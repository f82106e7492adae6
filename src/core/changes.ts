import type { GenerationInputs, RecordedInputs } from '../common/generation-key'
/**
 * Why an asset is stale, in words: the lock entry records the generation
 * inputs its key came from (`inputs`), and this compares them with the
 * current ones, field by field.
 */
import type { ResolvedAsset } from '../config/resolve'
import type { RGB } from '../types'
import type { AssetState } from './asset-state'
import { canonicalJson } from '../common/canonical-json'
import { toHex } from '../common/colors'
import { recordInputs } from '../common/generation-key'

type Field = keyof RecordedInputs

/** One phrase per changed input: `prompt changed`, `size 1024x1024 → 1536x768`… */
export function describeChanges(recorded: Partial<RecordedInputs>, current: GenerationInputs): string[] {
  const after = recordInputs(current)
  // Tolerate colors recorded as [r, g, b].
  const color = (value: unknown) => Array.isArray(value) ? toHex(value as RGB) : value as string | undefined
  const before: Partial<RecordedInputs> = { ...recorded, colors: recorded.colors?.map(c => color(c)!), background: color(recorded.background) }
  const changed = (field: Field) => canonicalJson(before[field] ?? null) !== canonicalJson(after[field] ?? null)
  const show = (field: Field, format: (input: Partial<RecordedInputs>) => string) => `${field} ${format(before)} → ${format(after)}`
  const text = (field: 'provider' | 'model' | 'style' | 'substyle') => (input: Partial<RecordedInputs>) => input[field] === undefined ? 'none' : JSON.stringify(input[field])
  const changes: string[] = []

  for (const field of ['provider', 'model'] as const) {
    if (changed(field))
      changes.push(show(field, text(field)))
  }
  if (changed('prompt'))
    changes.push('prompt changed')
  if (changed('width') || changed('height'))
    changes.push(`size ${before.width}x${before.height} → ${after.width}x${after.height}`)
  if (changed('colors'))
    changes.push(show('colors', input => input.colors && input.colors.length > 0 ? input.colors.join(' ') : 'none'))
  if (changed('background'))
    changes.push(show('background', input => input.background ?? 'none'))
  for (const field of ['style', 'substyle'] as const) {
    if (changed(field))
      changes.push(show(field, text(field)))
  }
  if (changed('image'))
    changes.push(before.image === undefined ? 'reference image added' : after.image === undefined ? 'reference image removed' : 'reference image changed')
  if (changed('providerOptions'))
    changes.push('providerOptions changed')
  if (changed('variants'))
    changes.push(show('variants', input => String(input.variants ?? 1)))
  for (const field of ['vector', 'transparent', 'vectorize'] as const) {
    if (changed(field))
      changes.push(show(field, input => String(input[field] ?? false)))
  }
  if (changed('strength'))
    changes.push(show('strength', input => input.strength === undefined ? 'none' : String(input.strength)))
  if (changed('brand'))
    changes.push(before.brand === undefined ? 'brand added' : after.brand === undefined ? 'brand removed' : 'brand references changed')
  return changes
}

/** Why the asset is not fresh, naming the inputs that changed when the lock entry recorded them. */
export function staleReason(asset: ResolvedAsset, state: AssetState): string | undefined {
  const { entry } = state
  if (state.status !== 'stale' || !entry || entry.key === asset.key)
    return state.reason
  if (!entry.inputs)
    return `${state.reason} (this lock entry does not record which)`
  const changes = describeChanges(entry.inputs, asset.generation)
  return changes.length > 0 ? changes.join('; ') : 'the key format changed (a new version of unplugin-ai-assets)'
}
