import { Counter, Gauge, Histogram, register } from 'prom-client';

// prom-client keeps one global registry; a Nest app built twice in one process (tests) must
// reuse the metric, not register it again.
export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (
    (register.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames })
  );
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return (register.getSingleMetric(name) as Gauge<string>) ?? new Gauge({ name, help, labelNames });
}

export function histogram(
  name: string,
  help: string,
  labelNames: string[] = [],
  buckets?: number[],
): Histogram<string> {
  return (
    (register.getSingleMetric(name) as Histogram<string>) ??
    new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}) })
  );
}
