/**
 * Cutting credentials out of messages. Servers quote keys back, whole or in
 * part ("key …3f9a2c1d is invalid"), so not only the whole value is removed:
 * any run of 6 or more characters that also occurs in a credential is replaced
 * by the variable's name. Shorter fragments carry too little of a key to matter
 * and would eat ordinary words.
 */

/** Credentials by variable name. */
export type Secrets = readonly (readonly [name: string, value: string])[]

/** The shortest fragment of a credential that is cut out. */
export const MIN_FRAGMENT = 6
/** Values shorter than this are not recognised at all (they would match too much); up to MIN_FRAGMENT only whole. */
const MIN_VALUE = 4

/** The credentials of these variables that are long enough to be recognised. */
export function secretsOf(variables: readonly string[], env: Record<string, string | undefined>): [string, string][] {
  return variables
    .map(name => [name, env[name] ?? ''] as [string, string])
    .filter(([, value]) => value.length >= MIN_VALUE)
}

/**
 * The message with every credential, and every fragment of one of at least
 * MIN_FRAGMENT characters (a value shorter than that: whole), replaced by
 * `[VARIABLE_NAME]`. A stretch covered by
 * overlapping fragments is cut as a whole.
 */
export function scrub(message: string, secrets: Secrets): string {
  if (secrets.length === 0)
    return message
  // owner[i]: the variable whose fragment covers character i of the message.
  const owner: (string | undefined)[] = Array.from({ length: message.length })
  for (const [name, value] of secrets) {
    if (value.length < MIN_VALUE)
      continue
    const size = Math.min(MIN_FRAGMENT, value.length)
    const fragments = new Set<string>()
    for (let i = 0; i + size <= value.length; i++)
      fragments.add(value.slice(i, i + size))
    for (let i = 0; i + size <= message.length; i++) {
      if (fragments.has(message.slice(i, i + size))) {
        for (let j = i; j < i + size; j++)
          owner[j] ??= name
      }
    }
  }
  let out = ''
  for (let i = 0; i < message.length; i++) {
    const name = owner[i]
    if (name === undefined) {
      out += message[i]
      continue
    }
    out += `[${name}]`
    while (i + 1 < message.length && owner[i + 1] === name)
      i++
  }
  return out
}
