// A fixed-size ring of recent WAF decisions (the local stand-in for WAF's sampled requests).
import type { WafDecisionRecord } from "./types.js";

export class DecisionRing {
  private readonly items: Array<WafDecisionRecord | undefined>;
  private next = 0;
  private count = 0;

  constructor(private readonly capacity = 1000) {
    this.items = new Array(capacity);
  }

  push(record: WafDecisionRecord): void {
    this.items[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Newest first. */
  recent(limit = 100): WafDecisionRecord[] {
    const out: WafDecisionRecord[] = [];
    const n = Math.min(Math.max(0, limit), this.count);
    for (let i = 1; i <= n; i++) out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}
