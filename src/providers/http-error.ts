/**
 * What went wrong with one HTTP call, in terms the retry policy needs: whether
 * the server answered, and if not, whether the request could have reached it.
 */

/**
 * - `not-sent`: no connection was made, so nothing reached the server.
 * - `unknown`: the request may have reached the server (and been billed), but
 *   no usable answer came back: a timeout, a reset, a cut or garbled body.
 * - undefined: the server answered, with an error status or content we reject.
 */
export type Outcome = 'not-sent' | 'unknown'

/** A failed attempt or answer; `retryable` decides whether the layer tries again. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    message: string,
    readonly status?: number,
    public retryable = false,
    readonly retryAfter?: number,
    readonly outcome?: Outcome,
  ) {
    super(message)
  }
}

/** How the message of a call that may have been billed without an answer begins its advice (http.ts, `billedNote`). */
export const BILLED = 'The call may have been billed'

/** Whether an error message carries that advice: the run counts the call's estimate as spent. */
export function saysMayHaveBeenBilled(message: string): boolean {
  return message.includes(BILLED)
}
