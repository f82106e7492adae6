/**
 * How each kind of error is shown, and its exit code (README "The `ai-assets`
 * CLI"). It knows the core's error classes, so the CLI loads it only once a
 * command has failed.
 */
import { AssetsConfigError } from '../config/errors'
import { FrozenError } from '../core/asset-state'
import { BudgetError } from '../core/cost'
import { LockfileError } from '../core/lockfile-paths'
import { PickRaceError } from '../core/pick'
import { UnknownAssetError } from '../core/run-plan'
import { StoreIntegrityError } from '../core/store'
import { EXIT_FAILURE, EXIT_USAGE, isCacError, oneLine, UsageError } from './errors'

export function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof AssetsConfigError || error instanceof UnknownAssetError || isCacError(error)
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
