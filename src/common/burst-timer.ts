/**
 * A timer for bursts of events: it fires once they stop coming for
 * `quietMs`, or `longestMs` after the first event of the burst, whichever
 * comes first, so that a long burst is still served now and then. Used to
 * let a burst of provider answers end before downloads start
 * (core/answer-burst.ts) and to save the verified index once per burst of
 * checks (core/verified-index.ts).
 */
export class BurstTimer {
  #timer: NodeJS.Timeout | undefined
  /** When the burst's first event came (performance.now()). */
  #since = 0

  constructor(private readonly quietMs: number, private readonly longestMs: number, private readonly fire: () => void) {}

  /** One more event of the burst: the timer is set again, never past the burst's longest wait. */
  touch(): void {
    const now = performance.now()
    if (!this.#timer)
      this.#since = now
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.fire()
    }, Math.max(0, Math.min(this.quietMs, this.#since + this.longestMs - now)))
  }

  /** Ends the burst without firing: the next event starts a new one. */
  cancel(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
