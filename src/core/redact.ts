import { scrub, secretsOf } from '../providers/secrets'

/**
 * The last guard for "credentials never reach logs or errors": whatever a
 * provider or a server put in a message, the values of the credential
 * variables, and any fragment of 6 or more of their characters, are cut out
 * before it leaves the pipeline.
 */
export function redact(message: string, variables: readonly string[], env: Record<string, string | undefined>): string {
  return scrub(message, secretsOf(variables, env))
}
