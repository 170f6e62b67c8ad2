// Log-linear histogram of non-negative integers (microseconds here): exact below 128, then 128
// sub-buckets per power of two, so any recorded value is reported within 0.8 %. Counts are plain
// numbers in a Float64Array, so histograms from several processes merge by adding arrays.
const SUB = 128;
const SUB_BITS = 7;
const MAX_EXP = 32; // values up to 2^32 us (~71 minutes); larger values are clamped
export const BUCKETS = SUB + (MAX_EXP - SUB_BITS) * SUB;

export function newHist() {
  return { counts: new Float64Array(BUCKETS), n: 0, max: 0, min: Infinity, sum: 0 };
}

function index(v) {
  if (v < SUB) return v;
  const k = 31 - Math.clz32(v);
  const sub = (v >>> (k - SUB_BITS)) - SUB;
  return SUB + (k - SUB_BITS) * SUB + sub;
}

function lowerBound(i) {
  if (i < SUB) return i;
  const j = i - SUB;
  const k = Math.floor(j / SUB) + SUB_BITS;
  const sub = j % SUB;
  return (SUB + sub) * 2 ** (k - SUB_BITS);
}

function width(i) {
  if (i < SUB) return 1;
  const k = Math.floor((i - SUB) / SUB) + SUB_BITS;
  return 2 ** (k - SUB_BITS);
}

export function record(h, value) {
  let v = value < 0 ? 0 : Math.round(value);
  if (v > 0xffffffff) v = 0xffffffff;
  h.counts[index(v >>> 0)]++;
  h.n++;
  h.sum += v;
  if (v > h.max) h.max = v;
  if (v < h.min) h.min = v;
}

/** Records the same value `count` times (a frame holding several events gets one timestamp). */
export function recordN(h, value, count) {
  let v = value < 0 ? 0 : Math.round(value);
  if (v > 0xffffffff) v = 0xffffffff;
  h.counts[index(v >>> 0)] += count;
  h.n += count;
  h.sum += v * count;
  if (v > h.max) h.max = v;
  if (v < h.min) h.min = v;
}

export function toWire(h) {
  // Sparse form for IPC: [index, count] pairs.
  const pairs = [];
  for (let i = 0; i < BUCKETS; i++) if (h.counts[i]) pairs.push(i, h.counts[i]);
  return { pairs, n: h.n, max: h.max, min: h.min, sum: h.sum };
}

export function mergeWire(h, w) {
  for (let i = 0; i < w.pairs.length; i += 2) h.counts[w.pairs[i]] += w.pairs[i + 1];
  h.n += w.n;
  h.sum += w.sum;
  if (w.max > h.max) h.max = w.max;
  if (w.min < h.min) h.min = w.min;
  return h;
}

/** The value at quantile q (0..1): the middle of the bucket holding it, never above the max. */
export function quantile(h, q) {
  if (h.n === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * h.n));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += h.counts[i];
    if (seen >= rank) return Math.min(h.max, lowerBound(i) + (width(i) - 1) / 2);
  }
  return h.max;
}

export function summary(h) {
  const ms = (us) => (Number.isFinite(us) ? Math.round(us / 10) / 100 : null);
  return {
    count: h.n,
    p50: ms(quantile(h, 0.5)),
    p95: ms(quantile(h, 0.95)),
    p99: ms(quantile(h, 0.99)),
    p999: ms(quantile(h, 0.999)),
    max: h.n ? ms(h.max) : null,
    mean: h.n ? ms(h.sum / h.n) : null,
  };
}
