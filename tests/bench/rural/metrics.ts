// What the rural bench computes from the rows its pages record (tests/bench/rural/pageScripts.ts, one every 250 ms).

export interface Row {
  t: number;
  level: string | null;
  vFrames?: number;
  vW?: number;
  vH?: number;
  freezes?: number;
  freezeS?: number;
  aConcealed?: number;
  aSamples?: number;
  aPackets?: number;
  aLost?: number;
  oH?: number;
  oBytes?: number;
  oLimit?: string;
  rtt?: number | null;
  aob?: number | null;
}

/** The last row at or before `t` (the first row when none). */
export function rowAt(rows: Row[], t: number): Row | undefined {
  let found: Row | undefined;
  for (const r of rows) {
    if (r.t > t) break;
    found = r;
  }
  return found ?? rows[0];
}

/** Frames per second received between two instants. */
export function fpsBetween(rows: Row[], from: number, to: number): number {
  const a = rowAt(rows, from);
  const b = rowAt(rows, to);
  if (!a || !b || b.t <= a.t) return 0;
  return (((b.vFrames ?? 0) - (a.vFrames ?? 0)) * 1000) / (b.t - a.t);
}

/** Received fps and picture height second by second from `start` (index k: the second [start + k s, start + (k+1) s]). */
export function perSecond(rows: Row[], start: number, seconds: number): Array<{ fps: number; height: number }> {
  const out: Array<{ fps: number; height: number }> = [];
  for (let k = 0; k < seconds; k++) out.push({ fps: fpsBetween(rows, start + k * 1000, start + (k + 1) * 1000), height: rowAt(rows, start + (k + 1) * 1000)?.vH ?? 0 });
  return out;
}

export interface WindowFigures {
  fps: number;
  /** Mean received height, and the share of seconds at the camera's height. */
  height: number;
  atCameraHeight: number;
  freezes: number;
  freezeS: number;
  concealedPct: number;
}

export function windowFigures(rows: Row[], from: number, to: number, cameraHeight: number): WindowFigures {
  const a = rowAt(rows, from);
  const b = rowAt(rows, to);
  const secs = perSecond(rows, from, Math.max(1, Math.floor((to - from) / 1000)));
  const samples = (b?.aSamples ?? 0) - (a?.aSamples ?? 0);
  return {
    fps: fpsBetween(rows, from, to),
    height: secs.reduce((s, x) => s + x.height, 0) / secs.length,
    atCameraHeight: secs.filter((x) => x.height >= cameraHeight).length / secs.length,
    freezes: (b?.freezes ?? 0) - (a?.freezes ?? 0),
    freezeS: (b?.freezeS ?? 0) - (a?.freezeS ?? 0),
    concealedPct: samples > 0 ? (100 * ((b?.aConcealed ?? 0) - (a?.aConcealed ?? 0))) / samples : 0,
  };
}

/**
 * The longest stretch (s) without voice between two instants: consecutive 250 ms intervals where more than half of
 * the samples played out were concealed (lost or late packets replaced by the decoder), or where nothing played.
 */
export function longestVoiceGap(rows: Row[], from: number, to: number): number {
  let longest = 0;
  let run = 0;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    if (b.t <= from || a.t >= to) continue;
    const samples = (b.aSamples ?? 0) - (a.aSamples ?? 0);
    const concealed = (b.aConcealed ?? 0) - (a.aConcealed ?? 0);
    if (samples <= 0 || concealed > samples / 2) {
      run += b.t - a.t;
      longest = Math.max(longest, run);
    } else run = 0;
  }
  return longest / 1000;
}

/** The level shown, each time it changed: [seconds since `start`, level]. */
export function levelTimeline(rows: Row[], start: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const r of rows) {
    if (!r.level || r.level === out.at(-1)?.[1]) continue;
    out.push([(r.t - start) / 1000, r.level]);
  }
  return out;
}

const ORDER = ['full', 'reduced', 'audio_only'];
export function stepDowns(timeline: Array<[number, string]>): number {
  let n = 0;
  for (let i = 1; i < timeline.length; i++) if (ORDER.indexOf(timeline[i]![1]) > ORDER.indexOf(timeline[i - 1]![1])) n++;
  return n;
}

/** Seconds after `from` until the received video holds `ok` for `hold` seconds in a row (null: never before `to`). */
export function secondsUntil(rows: Row[], from: number, to: number, hold: number, ok: (s: { fps: number; height: number }) => boolean): number | null {
  const secs = perSecond(rows, from, Math.floor((to - from) / 1000));
  for (let k = 0; k + hold <= secs.length; k++) if (secs.slice(k, k + hold).every(ok)) return k;
  return null;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const mean = (xs: number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * One-sided exact permutation test that the first group is worse than the second: the share of all ways of splitting the
 * pooled values into two groups of the same sizes whose difference of means is at least as bad as the one observed.
 * `worse` is +1 when higher is worse (freeze time, concealed audio), −1 when lower is worse (fps, picture height).
 * Exact up to 20 values in all (184,756 splits for 10 and 10); beyond that, 20,000 seeded random splits.
 */
export function pWorse(a: number[], b: number[], worse: 1 | -1): number {
  if (a.length === 0 || b.length === 0) return NaN;
  const pooled = [...a, ...b];
  const total = pooled.reduce((s, x) => s + x, 0);
  const observed = worse * (mean(a) - mean(b));
  const diffOf = (sumA: number) => worse * (sumA / a.length - (total - sumA) / b.length);
  // A tolerance for float sums: a split with the very same values as observed counts as « as bad ».
  const asBad = (d: number) => d >= observed - 1e-9;
  let hits = 0;
  let splits = 0;
  if (pooled.length <= 20) {
    const pick = (start: number, left: number, sum: number): void => {
      if (left === 0) {
        splits++;
        if (asBad(diffOf(sum))) hits++;
        return;
      }
      for (let i = start; i <= pooled.length - left; i++) pick(i + 1, left - 1, sum + pooled[i]!);
    };
    pick(0, a.length, 0);
  } else {
    let seed = 0x9e3779b9;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const xs = [...pooled];
    for (splits = 0; splits < 20_000; splits++) {
      for (let i = 0; i < a.length; i++) {
        const j = i + Math.floor(random() * (xs.length - i));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      if (asBad(diffOf(xs.slice(0, a.length).reduce((s, x) => s + x, 0)))) hits++;
    }
  }
  return hits / splits;
}

export type Verdict = 'better-or-equal' | 'within-noise' | 'worse';

/**
 * Holm's step-down correction: which of a family of one-sided tests stay significant at `alpha` when all are asked at
 * once (« is Relais worse on any of these figures? »). Without it, one figure in twenty comes out « worse » by chance.
 */
export function holm(ps: readonly number[], alpha = 0.05): boolean[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const rejected = ps.map(() => false);
  for (const [k, [p, i]] of order.entries()) {
    if (!(p < alpha / (ps.length - k))) break;
    rejected[i] = true;
  }
  return rejected;
}

/** `compare` over a family of figures, « worse » only where Holm's correction keeps it significant. */
export function compareAll(figures: ReadonlyArray<{ relais: number[]; bare: number[]; worse: 1 | -1 }>, alpha = 0.05): Array<{ verdict: Verdict; p: number; relais: number; bare: number }> {
  const each = figures.map((f) => compare(f.relais, f.bare, f.worse, alpha));
  const significant = holm(each.map((c) => c.p), alpha);
  return each.map((c, i) => (c.verdict === 'better-or-equal' ? c : { ...c, verdict: significant[i] ? 'worse' : 'within-noise' }));
}

/**
 * Relais against the bare call on one figure, in the same run: at least as good on the means; else worse only if that is
 * unlikely to be chance (one-sided permutation p < 0.05), else within the run-to-run noise of the calls themselves.
 */
export function compare(relais: number[], bare: number[], worse: 1 | -1, alpha = 0.05): { verdict: Verdict; p: number; relais: number; bare: number } {
  const r = mean(relais);
  const b = mean(bare);
  if (worse * (r - b) <= 0) return { verdict: 'better-or-equal', p: 1, relais: r, bare: b };
  const p = pWorse(relais, bare, worse);
  return { verdict: p < alpha ? 'worse' : 'within-noise', p, relais: r, bare: b };
}
