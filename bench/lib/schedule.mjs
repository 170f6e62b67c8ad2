// The open-loop publishing schedule and the verdict on a phase, kept apart from the I/O so that
// the arithmetic is tested on its own (test/schedule.test.mjs).
//
// Publish i of a phase is *intended* at start + i / rate, whatever happened to the publishes
// before it. Its event carries that intended time, and every latency (delivery and POST answer)
// is measured from it. A publish that waits — because the generator's event loop was late or
// because the bounded number of POSTs in flight was reached while the server fell behind — has
// that wait in its latency instead of silently moving the schedule (coordinated omission).

/** Intended send time of publish i, in µs on the same clock as startUs. */
export function intendedUs(startUs, i, rate) {
  return startUs + Math.round((i * 1e6) / rate);
}

/** How many publishes (of `total`) are due at nowUs: those whose intended time has come. */
export function dueCount(startUs, nowUs, rate, total) {
  if (nowUs < startUs) return 0;
  return Math.min(total, Math.floor(((nowUs - startUs) * rate) / 1e6) + 1);
}

/** The two backlogs at one instant: intended but not yet handed to the HTTP client, and handed
 * over but not yet answered. */
export function backlog(due, sent, answered) {
  return { notSent: due - sent, unanswered: sent - answered };
}

/** Index of the window (of windowS seconds) an intended time falls in. */
export function windowOf(startUs, intended, windowS) {
  return Math.floor((intended - startUs) / (windowS * 1e6));
}

/**
 * Whether a phase's rate was sustained. Every condition must hold, and each one that does not is
 * named in `reasons`:
 *  - the phase lasted at least minS seconds;
 *  - achieved (publishes answered 201 within the phase's window, per second) >= minShare x offered;
 *  - p99 from the intended time, over every delivery of the phase, < sloMs, and the same in every
 *    window of the phase (a phase whose last window is slow is falling behind, not sustaining);
 *  - every expected delivery arrived, and the per-room seq checks saw no gap and no duplicate;
 *  - no publish was abandoned unsent.
 */
export function verdict({ offered, achieved, durationS, p99, windowP99s = [], lost, gaps = 0, dups = 0, abandoned = 0, sloMs = 50, minS = 30, minShare = 0.98 }) {
  const reasons = [];
  if (durationS < minS) reasons.push(`phase ${durationS} s < ${minS} s`);
  if (!(achieved >= offered * minShare)) reasons.push(`achieved ${achieved}/s < ${Math.round(minShare * 100)} % of ${offered}/s`);
  if (p99 == null || !(p99 < sloMs)) reasons.push(`p99 ${p99} ms >= ${sloMs} ms`);
  windowP99s.forEach((w, k) => {
    if (w != null && !(w < sloMs)) reasons.push(`window ${k} p99 ${w} ms >= ${sloMs} ms`);
  });
  if (lost !== 0) reasons.push(`${lost} deliveries missing`);
  if (gaps || dups) reasons.push(`seq gaps ${gaps}, duplicates or out of order ${dups}`);
  if (abandoned) reasons.push(`${abandoned} publishes abandoned unsent`);
  return { sustained: reasons.length === 0, reasons };
}
