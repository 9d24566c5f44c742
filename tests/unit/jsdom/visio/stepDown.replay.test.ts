// The step-down rules replayed on real getStats samples recorded by `npm run bench:rural` (RECORD_FIXTURES): one sample
// a second from each side of a call on an emulated rural link, through sampleFromReport, qualityBetween and nextStep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_DOWN, INITIAL_STEP, lowerLevel, nextStep, qualityBetween, sampleFromReport, type CallLevel, type LinkQuality, type StatsSample, type StepState } from '../../../../renderer/call/stepDown.js';

interface Recorded {
  t: number;
  level: string | null;
  entries: Array<Record<string, unknown>>;
}
interface Fixture {
  profile: { name: string; upKbps: number; downKbps: number; delayMs: number; jitterMs: number; loss: number };
  stack: string;
  start: number;
  dropAt: number | null;
  recoverAt: number | null;
  booth: Recorded[];
  agent: Recorded[];
}

const load = (name: string): Fixture => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Fixture;
const reportOf = (entries: Array<Record<string, unknown>>) => ({ forEach: (fn: (s: Record<string, unknown>) => void) => entries.forEach(fn) }) as unknown as RTCStatsReport;

interface Step {
  t: number;
  level: CallLevel;
  q: LinkQuality;
}

/** One side's samples through the rules, from `from`; samples before the call's media flowed are skipped. */
function replay(recorded: Recorded[], from: StepState = INITIAL_STEP): Step[] {
  const out: Step[] = [];
  let state = from;
  let previous: StatsSample | null = null;
  for (const r of recorded) {
    if (r.entries.length === 0) continue;
    const sample = sampleFromReport(reportOf(r.entries), r.t);
    if (previous) {
      const q = qualityBetween(previous, sample);
      state = nextStep(state, q);
      out.push({ t: r.t, level: state.level, q });
    }
    previous = sample;
  }
  return out;
}

/** The level both sides apply at each of `side`'s instants: the lower of the two replays. */
function shared(booth: Step[], agent: Step[]): Step[] {
  return booth.map((b) => {
    const a = [...agent].reverse().find((x) => x.t <= b.t);
    return { ...b, level: a ? lowerLevel(b.level, a.level) : b.level };
  });
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('step-down replayed on recorded rural calls', () => {
  for (const name of ['4g-relais.json', '4g-bare.json']) {
    it(`« 4G faible » (${name}): 3 % random loss and RTT ≈ 250 ms never step either side down`, () => {
      const f = load(name);
      for (const side of [f.booth, f.agent]) {
        const steps = replay(side);
        // The recording is what it claims: a minute-long call over a lossy, slow link.
        expect(steps.length).toBeGreaterThanOrEqual(15);
        expect(medianOf(steps.map((s) => s.q.rttMs ?? 0))).toBeGreaterThan(180);
        expect(steps.some((s) => s.q.lossPct > 0)).toBe(true);
        expect(steps.filter((s) => s.level !== 'full')).toEqual([]);
      }
    });
  }

  it('« 4G faible »: from reduced, the booth steps back up to full within 10 s at RTT ≈ 250 ms with 3 % loss', () => {
    const f = load('4g-bare.json');
    const reduced: StepState = { ...INITIAL_STEP, level: 'reduced' };
    const steps = replay(f.booth, reduced);
    const up = steps.findIndex((s) => s.level === 'full');
    expect(up).toBeGreaterThanOrEqual(0);
    expect((steps[up]!.t - steps[0]!.t) / 1000).toBeLessThanOrEqual(10);
    expect(steps[up]!.q.rttMs).toBeGreaterThan(180);
  });

  for (const name of ['drop-bare.json', 'drop-relais.json']) {
    it(`a drop to 150 kbit/s (${name}) steps the call down at the first sample whose estimate fell, and back to full within 45 s of the recovery`, () => {
      const f = load(name);
      const both = shared(replay(f.booth), replay(f.agent));
      const before = both.filter((s) => s.t < f.dropAt!);
      expect(before.filter((s) => s.level !== 'full')).toEqual([]);
      // WebRTC's estimate needs 2–5 s to see the drop (measured on this loaded machine); the rules add no sample to that.
      const fell = both.find((s) => s.t >= f.dropAt! && (s.q.availableOutgoingBps ?? Infinity) < DEFAULT_STEP_DOWN.reducedBelowBps);
      expect(fell).toBeDefined();
      expect((fell!.t - f.dropAt!) / 1000).toBeLessThan(f.recoverAt! - f.dropAt!);
      const down = both.find((s) => s.t >= f.dropAt! && s.level !== 'full');
      expect(down?.t).toBe(fell!.t);
      // The voice alone never sufficed as a reason: the picture stays (reduced) through the drop.
      expect(both.filter((s) => s.t >= f.dropAt! && s.t < f.recoverAt!).every((s) => s.level !== 'audio_only')).toBe(true);
      const back = both.find((s) => s.t >= f.recoverAt! && s.level === 'full');
      expect(back).toBeDefined();
      expect((back!.t - f.recoverAt!) / 1000).toBeLessThanOrEqual(45);
    });
  }
});
