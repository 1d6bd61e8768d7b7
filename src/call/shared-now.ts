/**
 * One `performance.now()` read shared by the event hub and the attempt watchdog: a streamed delta needs the time
 * twice (the event's `t`, the attempt's last-event time), and on a fast stream the clock read is a visible share
 * of the cost. `reads()` tells a caller whether anyone read the clock since it last looked.
 */
let count = 0;
let last = 0;

/** `performance.now()`, remembered. */
export function sharedNow(): number {
  count++;
  last = performance.now();
  return last;
}

/** How many times `sharedNow` was read so far. */
export function sharedNowReads(): number {
  return count;
}

/** The value of the last `sharedNow` read. */
export function lastSharedNow(): number {
  return last;
}
