/** Tracks the sequence numbers seen: detects replays (seen), late frames (older, unseen) and gaps. */
export interface SequenceTracker {
  /** The newest sequence accepted, or -1. */
  readonly last: number;
  /** Classifies a sequence without recording it. */
  check(sequence: number): 'next' | 'replay' | 'late';
  /** Records an accepted sequence; returns the gap it reveals, if any. */
  accept(sequence: number): { from: number; to: number } | undefined;
  /** Counts every sequence up to `to` as accounted for (dropped at the source and reported as such), without a gap. */
  skip(to: number): void;
}

const WINDOW = 1024;

/** A sequence tracker with a window of the last 1,024 sequence numbers (older ones count as replays). */
export function createSequenceTracker(): SequenceTracker {
  let last = -1;
  const seen = new Uint8Array(WINDOW);
  return {
    get last() {
      return last;
    },
    check(sequence) {
      if (sequence > last) return 'next';
      if (last - sequence >= WINDOW) return 'replay';
      return seen[sequence % WINDOW] === 1 ? 'replay' : 'late';
    },
    accept(sequence) {
      if (sequence <= last) {
        seen[sequence % WINDOW] = 1;
        return undefined;
      }
      const gap = last >= 0 && sequence > last + 1 ? { from: last + 1, to: sequence - 1 } : undefined;
      const clearFrom = Math.max(last + 1, sequence - WINDOW + 1);
      for (let s = clearFrom; s < sequence; s++) seen[s % WINDOW] = 0;
      seen[sequence % WINDOW] = 1;
      last = sequence;
      return gap;
    },
    skip(to) {
      if (to <= last) return;
      for (let s = Math.max(last + 1, to - WINDOW + 1); s <= to; s++) seen[s % WINDOW] = 1;
      last = to;
    },
  };
}
