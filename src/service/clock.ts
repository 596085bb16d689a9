// The service clock: system time, or a manual clock that only moves when told (for tests and replays).

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock that starts at `startMs` and moves only forward through `set` (GRIDNEST_MANUAL_CLOCK=1). */
export class ManualClock implements Clock {
  constructor(private currentMs: number) {}
  nowMs(): number {
    return this.currentMs;
  }
  set(ms: number): void {
    if (ms < this.currentMs) throw new RangeError('the manual clock only moves forward');
    this.currentMs = ms;
  }
}
