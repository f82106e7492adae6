/**
 * `npm run bench:placeholder`: the placeholder provider at 1024×1024 against
 * the least sharp can do for an image that size (a solid PNG), measured in
 * the same run. The budget is well under 100 ms.
 */
import sharp from 'sharp'
import { placeholderProvider } from '../src/providers/placeholder/index'

const RUNS = 15
const request = {
  asset: 'hero',
  model: 'placeholder',
  prompt: 'A cabin',
  width: 1024,
  height: 1024,
  colors: [[255, 107, 53], [0, 43, 91]] as [number, number, number][],
  background: [245, 245, 245] as [number, number, number],
  variants: 1,
  providerOptions: {},
}
const context = { signal: new AbortController().signal, env: {}, warn: () => {} }

async function median(task: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now()
    await task()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!
}

const solid = await median(() => sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#f5f5f5' } }).png().toBuffer())
const placeholder = await median(() => placeholderProvider.generate(request, context))
console.log(`solid 1024×1024 PNG with sharp (baseline): ${solid.toFixed(1)} ms`)
console.log(`placeholder 1024×1024:                      ${placeholder.toFixed(1)} ms`)
console.log(`ratio: ${(placeholder / solid).toFixed(2)}× the baseline`)
