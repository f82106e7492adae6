/**
 * Where the CLI prints. Results go to stdout as plain lines; warnings and
 * errors to stderr. On a TTY, long work also shows one progress line on
 * stderr (done/total, the assets in flight, elapsed time, ETA), redrawn in
 * place and cleared before any other line is printed. Every command loads
 * this, so it imports nothing of the core.
 */

export interface OutStream {
  write: (text: string) => unknown
  isTTY?: boolean
  columns?: number
}

export interface Streams {
  stdout: OutStream
  stderr: OutStream
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function formatDuration(ms: number): string {
  const seconds = ms / 1000
  if (seconds < 10)
    return `${seconds.toFixed(1)}s`
  if (seconds < 60)
    return `${Math.round(seconds)}s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
}

export class Reporter {
  readonly tty: boolean
  private total = 0
  private done = 0
  private started = 0
  private active = new Set<string>()
  private frame = 0
  private timer: ReturnType<typeof setInterval> | undefined
  private drawn = false

  constructor(readonly streams: Streams, options: { tty?: boolean } = {}) {
    this.tty = options.tty ?? (!!streams.stderr.isTTY && process.env.TERM !== 'dumb' && !process.env.CI)
  }

  /** A result line on stdout. */
  line(text = ''): void {
    this.clear()
    this.streams.stdout.write(`${text}\n`)
    this.draw()
  }

  /** A warning or error on stderr. */
  warn(text: string): void {
    this.clear()
    this.streams.stderr.write(`${text}\n`)
    this.draw()
  }

  /** Begins the progress display for `total` pieces of work. */
  start(total: number): void {
    this.total = total
    this.done = 0
    this.started = Date.now()
    this.active.clear()
    if (this.tty && total > 0) {
      this.timer = setInterval(() => {
        this.frame++
        this.redraw()
      }, 100)
      this.timer.unref?.()
      this.draw()
    }
  }

  begin(name: string): void {
    this.active.add(name)
    this.redraw()
  }

  end(name: string, done: number): void {
    this.active.delete(name)
    this.done = done
    this.redraw()
  }

  stop(): void {
    if (this.timer)
      clearInterval(this.timer)
    this.timer = undefined
    this.clear()
    this.total = 0
  }

  /** The progress line as it would be drawn now (for tests and for draw()). */
  progressLine(now = Date.now()): string {
    const elapsed = now - this.started
    const eta = this.done > 0 && this.done < this.total ? ` · ETA ${formatDuration(elapsed / this.done * (this.total - this.done))}` : ''
    const width = 16
    const filled = this.total > 0 ? Math.round(width * this.done / this.total) : 0
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
    const current = [...this.active].join(', ')
    const line = `${FRAMES[this.frame % FRAMES.length]} ${this.done}/${this.total} ${bar} ${formatDuration(elapsed)}${eta}${current ? ` · ${current}` : ''}`
    const columns = this.streams.stderr.columns ?? 80
    return line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line
  }

  private redraw(): void {
    if (this.drawn) {
      this.streams.stderr.write(`\r\x1B[2K${this.progressLine()}`)
    }
  }

  private draw(): void {
    if (this.tty && this.total > 0 && this.timer) {
      this.streams.stderr.write(this.progressLine())
      this.drawn = true
    }
  }

  private clear(): void {
    if (this.drawn) {
      this.streams.stderr.write('\r\x1B[2K')
      this.drawn = false
    }
  }
}
