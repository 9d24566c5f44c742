// Deadlines that all share one delay (a socket's authentication timeout, its next heartbeat), kept in the order they
// were set: the earliest is always at the head, so one periodic sweep takes the due ones in O(due), with no timer
// object per socket. (10,000 per-socket timers, once cleared, made the hub's young generation promote ~1 MB at every
// scavenge: measured with --trace-gc-nvp under `npm run bench:hub`.)

export class FifoDeadlines<T> {
  // Parallel arrays: `at` stays a packed array of doubles, no object per entry.
  private at: number[] = [];
  private items: T[] = [];
  private head = 0;

  constructor(readonly delayMs: number) {}

  /** Due `delayMs` after `now`; `now` must not go backwards between calls (performance.now()). */
  add(item: T, now: number): void {
    this.at.push(now + this.delayMs);
    this.items.push(item);
  }

  /**
   * Hands each item whose deadline is at or before `now` to `due`, earliest first, at most `max` of them (the rest stay
   * for the next sweep, which spreads a burst of deadlines over several sweeps). Returns how many were handed.
   */
  takeDue(now: number, due: (item: T) => void, max = Number.POSITIVE_INFINITY): number {
    let taken = 0;
    while (this.head < this.at.length && taken < max && this.at[this.head]! <= now) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined as T;
      this.head++;
      taken++;
      due(item);
    }
    if (this.head === this.at.length) {
      this.at.length = 0;
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.at.length) {
      this.at.splice(0, this.head);
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return taken;
  }

  get size(): number {
    return this.at.length - this.head;
  }
}
