// Peak resident set size of this process over a phase, sampled (process.resourceUsage().maxRSS is
// the lifetime peak, so phases after the first need sampling).
export class RssSampler {
  private peak = 0;
  private timer?: NodeJS.Timeout;

  start(intervalMs = 100): this {
    this.peak = process.memoryUsage.rss();
    let ticks = 0;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
      // BENCH_RSS_TRACE=1: a line every 5 s (rss, V8 heap used, native memory held by JS objects)
      if (process.env.BENCH_RSS_TRACE && ++ticks % Math.round(5000 / intervalMs) === 0) {
        const m = process.memoryUsage();
        console.log(
          `  rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)}`,
        );
      }
    }, intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
