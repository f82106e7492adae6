/**
 * Exit codes (README "The `ai-assets` CLI"), the usage error and the checks of
 * flag values. Every command loads this, so it imports nothing of the core;
 * how the core's errors are shown is describe-error.ts's.
 */

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** A wrong command line: shown as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** cac's own errors (unknown option, missing argument…) have this name; cac does not export their class. */
export function isCacError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CACError'
}

/** One line: a usage or config error never shows a stack trace nor spans lines. */
export function oneLine(message: string): string {
  return message.split('\n').map(line => line.trim()).filter(Boolean).join(' ')
}

/** A positive whole number from the command line, or a usage error naming the option. */
export function positiveInteger(value: unknown, option: string): number | undefined {
  if (value === undefined)
    return undefined
  const number = Number(value)
  if (value === true || value === '' || !Number.isInteger(number) || number < 1)
    throw new UsageError(`${option} needs a whole number of 1 or more, not ${JSON.stringify(value === true ? '' : value)}`)
  return number
}

/** A number of US dollars ≥ 0 (`0.5`, `$2`). */
export function dollars(value: unknown, option: string): number | undefined {
  if (value === undefined)
    return undefined
  const number = typeof value === 'string' ? Number(value.replace(/^\$/, '')) : Number(value)
  if (value === true || value === '' || !Number.isFinite(number) || number < 0)
    throw new UsageError(`${option} needs an amount of US dollars, e.g. ${option} 2.50, not ${JSON.stringify(value === true ? '' : value)}`)
  return number
}
