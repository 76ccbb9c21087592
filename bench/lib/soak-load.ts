export interface KindSummary {
  count: number;
  errors: number;
  /** Ticks not sent because `maxInFlight` of this kind were still waiting (the service fell behind). */
  skipped: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The first few error answers, to read. */
  sampleErrors: string[];
}

/** Latencies and errors of one kind of call. */
export class KindStats {
  private readonly samples: number[] = [];
  private errorCount = 0;
  private skippedCount = 0;
  private readonly errorSamples: string[] = [];

  ok(ms: number) {
    this.samples.push(ms);
  }

  error(ms: number, what: string) {
    this.samples.push(ms);
    this.errorCount++;
    if (this.errorSamples.length < 5) this.errorSamples.push(what.slice(0, 300));
  }

  skip() {
    this.skippedCount++;
  }

  summary(): KindSummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted.length === 0
        ? 0
        : Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 10) /
          10;
    return {
      count: sorted.length,
      errors: this.errorCount,
      skipped: this.skippedCount,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: at(1),
      sampleErrors: this.errorSamples,
    };
  }
}

/**
 * Open-loop load: `perSecond` calls of `call` spread evenly over `seconds`, whatever the answers'
 * speed (so a slow service meets the same load, not a politer one), at most `maxInFlight` at once.
 */
export async function atFixedRate(
  perSecond: number,
  seconds: number,
  maxInFlight: number,
  stats: KindStats,
  call: (n: number) => Promise<void>,
): Promise<void> {
  const interval = 1000 / perSecond;
  const total = Math.floor(perSecond * seconds);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; n < total; n++) {
    const due = started + n * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= maxInFlight) {
      stats.skip();
      continue;
    }
    const running = call(n).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
}

/** A line through (t, y) by least squares: the slope, in y per unit of t. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, [t]) => s + t, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, y] of points) {
    num += (t - meanT) * (y - meanY);
    den += (t - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
