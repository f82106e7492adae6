/**
 * `providerOptions` add to what the plugin sends; they may not replace a field
 * the plugin owns (the image count, the model, the size, the prompt, the task
 * id, the output format…). Those come from the config's own options, which the
 * cost estimate and the budget count on: `numberResults: 12` in providerOptions
 * would bill 12 images where the estimate counted `variants`.
 */
import type { OwnedOptions } from '../providers/index'
import type { ConfigIssue } from './errors'
import { ownedOptionMessage } from '../providers/wire'

/** One issue per owned field set in these providerOptions, at `where` (`['assets', name]` or `['defaults']`). */
export function checkOwnedOptions(owned: OwnedOptions | undefined, provider: string, options: Record<string, unknown> | undefined, where: PropertyKey[], issues: ConfigIssue[]): void {
  if (!owned || !options)
    return
  for (const field of Object.keys(options)) {
    if (Object.hasOwn(owned, field))
      issues.push({ path: [...where, 'providerOptions', field], message: ownedOptionMessage(field, provider, owned[field]!) })
  }
}
