/**
 * Missing credentials, and every message that says so: the plan's note, the
 * warning of a build that draws a placeholder instead, and the error of
 * `placeholders: 'error'`. Only variable names appear here, never values.
 */
import type { ResolvedConfig } from '../config/resolve'

/** The provider's credential variables that are not set in `env`. */
export function missingCredentials(config: ResolvedConfig, env: Record<string, string | undefined>): string[] {
  return config.credentials.filter(name => !env[name])
}

function notSet(missing: readonly string[]): string {
  return `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`
}

/** The plan's note for an asset it would generate. */
export function placeholderNote(missing: readonly string[]): string {
  return `${notSet(missing)}: an offline placeholder is drawn (never stored)`
}

/** What a build says, or throws with `placeholders: 'error'`, when it cannot generate `name`. */
export function missingCredentialsMessage(config: ResolvedConfig, name: string, missing: readonly string[], fatal: boolean): string {
  const message = `${notSet(missing)}, so provider "${config.name}" cannot generate "${name}"`
  return fatal
    ? `${message}. Set ${missing.join(' and ')} in the environment, or set placeholders: 'warn' to build with offline placeholders.`
    : `${message}: using an offline placeholder (never stored). Set ${missing.join(' and ')} to generate the real image.`
}
