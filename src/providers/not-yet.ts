import type { ProviderSettings } from './index'
import type { Provider } from './types'

/** Network providers land in the next issue; until then a call says so plainly. */
export function notYetImplemented(settings: ProviderSettings): Provider {
  return {
    name: settings.name,
    model: settings.model,
    async generate(request) {
      throw new Error(`Provider "${settings.name}" cannot generate "${request.asset}" yet: network providers are not implemented in this version. Use provider: 'placeholder'.`)
    },
  }
}
