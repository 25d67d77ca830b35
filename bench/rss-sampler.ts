// Peak resident set size of this process over a phase, sampled (process.resourceUsage().maxRSS is
// the lifetime peak, so phases after the first need sampling).
export class RssSampler {
  private peak = 0;
  private timer?: NodeJS.Timeout;

  start(intervalMs = 100): this {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
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
