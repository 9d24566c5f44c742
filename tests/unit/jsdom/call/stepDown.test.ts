// The automatic step-down: loss or delay lowers the video level, a recovered link raises it back with hysteresis.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STEP_DOWN,
  INITIAL_STEP,
  classify,
  encodingFor,
  lowerLevel,
  nextStep,
  qualityBetween,
  sampleFromReport,
  type LinkQuality,
  type StepState,
} from '../../../../renderer/call/stepDown.js';

const GOOD: LinkQuality = { lossPct: 0, rttMs: 20, jitterMs: 5 };
const LOSSY: LinkQuality = { lossPct: 12, rttMs: 30, jitterMs: 10 };
const SLOW: LinkQuality = { lossPct: 0, rttMs: 600, jitterMs: 10 };
const FAIR: LinkQuality = { lossPct: 2, rttMs: 250, jitterMs: 10 };

const run = (qs: LinkQuality[], from: StepState = INITIAL_STEP) => qs.reduce((s, q) => nextStep(s, q), from);

describe('step-down decisions', () => {
  it('computes the loss of the interval from cumulative counters', () => {
    const a = { at: 0, packetsReceived: 1000, packetsLost: 10, rttMs: 40, jitterMs: 3 };
    const b = { at: 2000, packetsReceived: 1900, packetsLost: 110, rttMs: 50, jitterMs: 4 };
    expect(qualityBetween(a, b)).toEqual({ lossPct: 10, rttMs: 50, jitterMs: 4 });
    expect(qualityBetween(b, b).lossPct).toBe(0);
  });

  it('classifies loss or delay as bad, a clean link as good, and the band between as fair', () => {
    expect(classify(LOSSY)).toBe('bad');
    expect(classify(SLOW)).toBe('bad');
    expect(classify({ lossPct: 0, rttMs: 20, jitterMs: 90 })).toBe('bad');
    expect(classify(GOOD)).toBe('good');
    expect(classify(FAIR)).toBe('fair');
  });

  it('one bad sample does not step down; two in a row lower resolution and frame rate first, two more go to audio only', () => {
    expect(run([LOSSY]).level).toBe('full');
    expect(run([LOSSY, LOSSY]).level).toBe('reduced');
    expect(run([LOSSY, LOSSY, LOSSY]).level).toBe('reduced');
    expect(run([LOSSY, LOSSY, SLOW, SLOW]).level).toBe('audio_only');
    expect(run([LOSSY, LOSSY, LOSSY, LOSSY, LOSSY, LOSSY]).level).toBe('audio_only');
  });

  it('a good sample between bad ones resets the count', () => {
    expect(run([LOSSY, GOOD, LOSSY, GOOD, LOSSY]).level).toBe('full');
  });

  it('steps back up one level only after five good samples in a row (hysteresis), and fair samples hold the level', () => {
    const audio = run([LOSSY, LOSSY, LOSSY, LOSSY]);
    expect(audio.level).toBe('audio_only');
    expect(run([GOOD, GOOD, GOOD, GOOD], audio).level).toBe('audio_only');
    const reduced = run([GOOD, GOOD, GOOD, GOOD, GOOD], audio);
    expect(reduced.level).toBe('reduced');
    expect(run([GOOD, GOOD, GOOD, GOOD, FAIR, GOOD], reduced).level).toBe('reduced');
    expect(run(Array(5).fill(GOOD), reduced).level).toBe('full');
    expect(DEFAULT_STEP_DOWN.upAfter).toBeGreaterThan(DEFAULT_STEP_DOWN.downAfter);
  });

  it('both sides use the lower of their two levels', () => {
    expect(lowerLevel('full', 'reduced')).toBe('reduced');
    expect(lowerLevel('audio_only', 'reduced')).toBe('audio_only');
    expect(lowerLevel('full', 'full')).toBe('full');
  });

  it('maps each level to sender encodings: reduced halves the resolution at 10 fps, audio only stops the video', () => {
    expect(encodingFor('full')).toEqual({ active: true, scaleResolutionDownBy: 1 });
    expect(encodingFor('reduced')).toMatchObject({ active: true, scaleResolutionDownBy: 2, maxFramerate: 10 });
    expect(encodingFor('audio_only').active).toBe(false);
  });

  it('reads loss and jitter from the inbound audio (video when there is no audio) and the selected pair RTT from a getStats report', () => {
    const entries = [
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 900, packetsLost: 20, jitter: 0.09 },
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: 5, jitter: 0.03 },
      { type: 'candidate-pair', id: 'p1', nominated: true, state: 'succeeded', currentRoundTripTime: 0.5 },
      { type: 'candidate-pair', id: 'p2', nominated: true, state: 'succeeded', currentRoundTripTime: 0.12 },
      { type: 'candidate-pair', id: 'p3', nominated: false, state: 'failed', currentRoundTripTime: 9 },
      { type: 'transport', id: 't', selectedCandidatePairId: 'p2' },
    ];
    const report = { forEach: (fn: (s: Record<string, unknown>) => void) => entries.forEach(fn) } as unknown as RTCStatsReport;
    const s = sampleFromReport(report, 5);
    expect(s).toMatchObject({ at: 5, packetsReceived: 100, packetsLost: 5, rttMs: 120 });
    expect(s.jitterMs).toBeCloseTo(30);
    const videoOnly = { forEach: (fn: (x: Record<string, unknown>) => void) => entries.filter((e) => e.kind !== 'audio').forEach(fn) } as unknown as RTCStatsReport;
    expect(sampleFromReport(videoOnly, 6)).toMatchObject({ packetsReceived: 900, packetsLost: 20, jitterMs: null });
  });
});
