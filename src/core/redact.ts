/**
 * The last guard for "credentials never reach logs or errors": whatever a
 * provider or a server put in a message, the values of the credential
 * variables are cut out before it leaves the pipeline.
 */
export function redact(message: string, variables: readonly string[], env: Record<string, string | undefined>): string {
  let safe = message
  for (const name of variables) {
    const value = env[name]
    if (value && value.length >= 4)
      safe = safe.split(value).join(`[${name}]`)
  }
  return safe
}
