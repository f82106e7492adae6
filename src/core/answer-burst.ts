/**
 * Requests before downloads. When the answers of several paid requests come
 * in together (requests sent together answer together), each answer frees a
 * `concurrency` slot whose next request should leave at once; downloading
 * and decoding the answered images meanwhile would hold those requests up
 * (the event loop, libuv's threads and the CPU are shared), and the delay
 * would add up round after round. So a provider that says its paid calls
 * have answered (`GenerateContext.answered`) goes on to its downloads once
 * the answers have stopped coming for a moment, or at once when no
 * generation is waiting for a slot.
 */
import type PQueue from 'p-queue'
import { BurstTimer } from '../common/burst-timer'

/** Answers further apart than this are not one burst. */
const QUIET_MS = 4
/** The longest a download waits for a burst to end. */
const LONGEST_WAIT_MS = 25

export class AnswerBurst {
  #waiting: (() => void)[] = []
  #burst = new BurstTimer(QUIET_MS, LONGEST_WAIT_MS, () => this.#flush())

  constructor(private readonly queue: Pick<PQueue, 'size'>) {}

  /** Resolves when this answer's downloads may start: see above. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      // After the immediates: the slot's next generation has started and sent its request by then.
      setImmediate(() => {
        if (this.queue.size === 0) {
          this.#flush()
          return resolve()
        }
        this.#waiting.push(resolve)
        this.#burst.touch()
      })
    })
  }

  #flush(): void {
    this.#burst.cancel()
    const waiting = this.#waiting
    this.#waiting = []
    waiting.forEach(resolve => resolve())
  }
}
