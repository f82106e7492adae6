/** Exit codes (README "The `ai-assets` CLI") and how each kind of error is shown. */
import { AssetsConfigError } from '../config/errors'
import { FrozenError } from '../core/asset-state'
import { BudgetError } from '../core/cost'
import { LockfileError } from '../core/lockfile-paths'
import { PickRaceError } from '../core/pick'
import { UnknownAssetError } from '../core/run-plan'
import { StoreIntegrityError } from '../core/store'

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** A wrong command line: shown as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** cac's own errors (unknown option, missing argument…) have this name; cac does not export their class. */
function isCacError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CACError'
}

export function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof AssetsConfigError || error instanceof UnknownAssetError || isCacError(error)
}

/** One line: a usage or config error never shows a stack trace nor spans lines. */
export function oneLine(message: string): string {
  return message.split('\n').map(line => line.trim()).filter(Boolean).join(' ')
}

/** Failures whose message says everything: shown without a stack, exit 1. So is a plain Error (a provider's failure, missing credentials…). */
const KNOWN_FAILURES = [FrozenError, BudgetError, StoreIntegrityError, LockfileError, PickRaceError]

/** What to print for an error, and the exit code. */
export function describeError(error: unknown): { message: string, code: number } {
  if (isUsageError(error)) {
    const message = oneLine((error as Error).message)
    return { message: isCacError(error) ? `${message} (see \`ai-assets --help\`)` : message, code: EXIT_USAGE }
  }
  // Known failures carry a complete message; anything else is a bug worth its stack.
  if (error instanceof Error) {
    const known = KNOWN_FAILURES.some(type => error instanceof type) || error.name === 'Error'
    return { message: known || !error.stack ? error.message : error.stack, code: EXIT_FAILURE }
  }
  return { message: String(error), code: EXIT_FAILURE }
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
