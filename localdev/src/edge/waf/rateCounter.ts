// Sliding-window request counters per aggregation key, in fixed memory: capped slots, LRU eviction, expiry.

const NONE = -1;

/**
 * Counts requests per key over the last `windowMs`, in `bucketsPerWindow` sub-buckets (so a burst is
 * forgotten one bucket at a time, close to WAF's recency-weighted estimate). Memory is bounded by
 * `maxKeys`: counters live in preallocated typed arrays threaded on a least-recently-used list; a new
 * key past the cap evicts the least recently seen one, and keys idle for a whole window are dropped
 * from the old end as time moves on (amortised O(1) per request). The list is explicit because walking a
 * Map from its oldest entry gets slow once many entries have been deleted from it.
 */
export class RateCounter {
  private readonly bucketMs: number;
  private readonly counts: Uint32Array;
  private readonly lastBucket: Float64Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private readonly keyOfSlot: Array<string | undefined>;
  private readonly slots = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private nextUnusedSlot = 0;
  private head = NONE; // least recently used
  private tail = NONE; // most recently used

  constructor(
    windowMs: number,
    private readonly maxKeys: number,
    private readonly bucketsPerWindow = 6,
  ) {
    this.bucketMs = windowMs / bucketsPerWindow;
    this.counts = new Uint32Array(maxKeys * bucketsPerWindow);
    this.lastBucket = new Float64Array(maxKeys);
    this.prev = new Int32Array(maxKeys);
    this.next = new Int32Array(maxKeys);
    this.keyOfSlot = new Array(maxKeys);
  }

  /** Live keys; never above `maxKeys`. */
  get size(): number {
    return this.slots.size;
  }

  /** Records one request for `key` at `now` and returns the requests counted in the window, this one included. */
  hit(key: string, now: number): number {
    const bucket = Math.floor(now / this.bucketMs);
    this.dropExpired(bucket);
    const buckets = this.bucketsPerWindow;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.allocate();
      this.counts.fill(0, slot * buckets, slot * buckets + buckets);
      this.slots.set(key, slot);
      this.keyOfSlot[slot] = key;
    } else {
      this.unlink(slot);
      this.roll(slot, bucket);
    }
    this.append(slot);
    this.lastBucket[slot] = bucket;
    const base = slot * buckets;
    this.counts[base + (bucket % buckets)]! += 1;
    let total = 0;
    for (let i = 0; i < buckets; i++) total += this.counts[base + i]!;
    return total;
  }

  private roll(slot: number, bucket: number): void {
    const buckets = this.bucketsPerWindow;
    const base = slot * buckets;
    const last = this.lastBucket[slot]!;
    const gap = bucket - last;
    if (gap >= buckets) this.counts.fill(0, base, base + buckets);
    else for (let k = 1; k <= gap; k++) this.counts[base + ((last + k) % buckets)] = 0;
  }

  private allocate(): number {
    const free = this.freeSlots.pop();
    if (free !== undefined) return free;
    if (this.nextUnusedSlot < this.maxKeys) return this.nextUnusedSlot++;
    const oldest = this.head;
    this.release(oldest);
    this.freeSlots.pop();
    return oldest;
  }

  private release(slot: number): void {
    this.unlink(slot);
    this.slots.delete(this.keyOfSlot[slot]!);
    this.keyOfSlot[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private unlink(slot: number): void {
    const before = this.prev[slot]!;
    const after = this.next[slot]!;
    if (before === NONE) this.head = after;
    else this.next[before] = after;
    if (after === NONE) this.tail = before;
    else this.prev[after] = before;
  }

  private append(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = NONE;
    if (this.tail === NONE) this.head = slot;
    else this.next[this.tail] = slot;
    this.tail = slot;
  }

  /** The oldest keys sit at the head, so expired ones are a prefix: stop at the first live key. */
  private dropExpired(bucket: number): void {
    while (this.head !== NONE && this.lastBucket[this.head]! <= bucket - this.bucketsPerWindow) {
      this.release(this.head);
    }
  }
}
