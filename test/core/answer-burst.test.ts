/**
 * Requests before downloads (core/answer-burst.ts): while generations wait
 * for a slot, the downloads of answers that come in together wait until the
 * answers stop coming, never longer than 25 ms; with nothing waiting, they
 * start at once. On a fake clock: what is checked is the order of events,
 * which on a real clock would depend on the machine's load.
 */
import PQueue from 'p-queue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AnswerBurst } from '../../src/core/answer-burst'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A queue whose one slot is taken, with `waiting` generations behind it. */
function queueWith(waiting: number): PQueue {
  const queue = new PQueue({ concurrency: 1 })
  for (let i = 0; i <= waiting; i++)
    void queue.add(() => new Promise(() => {}))
  return queue
}

/** Records when each settled() of `burst` resolves, on the fake clock. */
function recorder(burst: AnswerBurst) {
  const settledAt: number[] = []
  return {
    settledAt,
    answer: (index: number) => void burst.settled().then(() => settledAt[index] = performance.now()),
  }
}

describe('answerBurst', () => {
  it('lets downloads start at once when no generation waits for a slot', async () => {
    const { settledAt, answer } = recorder(new AnswerBurst(queueWith(0)))
    answer(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(settledAt).toEqual([0])
  })

  it('holds the downloads of a burst of answers until the answers stop coming', async () => {
    const { settledAt, answer } = recorder(new AnswerBurst(queueWith(3)))
    answer(0)
    await vi.advanceTimersByTimeAsync(2)
    answer(1)
    await vi.advanceTimersByTimeAsync(3)
    answer(2)
    // 3.9 ms after the last answer: none has started.
    await vi.advanceTimersByTimeAsync(3.9)
    expect(settledAt).toEqual([])
    await vi.advanceTimersByTimeAsync(0.2)
    expect(settledAt).toHaveLength(3)
    expect(new Set(settledAt).size).toBe(1)
    expect(settledAt[0]).toBeCloseTo(9, 0)
  })

  it('never holds a download more than 25 ms, however long the answers keep coming', async () => {
    const { settledAt, answer } = recorder(new AnswerBurst(queueWith(20)))
    for (let i = 0; i < 20; i++) {
      answer(i)
      await vi.advanceTimersByTimeAsync(2)
    }
    await vi.advanceTimersByTimeAsync(30)
    // The first answers were let go together at 25 ms; the ones after them formed the next burst.
    expect(settledAt).toHaveLength(20)
    expect(settledAt[0]).toBeCloseTo(25, 0)
    expect(settledAt.filter(at => at === settledAt[0]).length).toBeGreaterThan(10)
    // Answer i came at 2i ms: none waited more than 25 ms.
    settledAt.forEach((at, i) => expect(at - 2 * i).toBeLessThanOrEqual(25))
  })
})
