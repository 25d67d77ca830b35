import { Injectable } from '@nestjs/common';

// Injected wherever "now" matters so tests can move time (backoff, leases, windows).
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

export class FakeClock extends Clock {
  constructor(private current = new Date('2026-11-29T12:00:00Z')) {
    super();
  }
  override now(): Date {
    return new Date(this.current.getTime());
  }
  set(date: Date | string): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
