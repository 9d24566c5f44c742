// The automatic step-down: a falling bandwidth estimate or heavy loss lowers the video level, a recovered link raises it back.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STEP_DOWN,
  INITIAL_STEP,
  classify,
  VIDEO_MAX_BPS,
  encodingChanged,
  encodingFor,
  lowerLevel,
  nextStep,
  qualityBetween,
  sampleFromReport,
  type LinkQuality,
  type StepState,
} from '../../../../renderer/call/stepDown.js';

const GOOD: LinkQuality = { lossPct: 0, rttMs: 20, jitterMs: 5, availableOutgoingBps: 1_500_000 };
const LOSSY: LinkQuality = { lossPct: 25, rttMs: 30, jitterMs: 10, availableOutgoingBps: 1_500_000 };
const SLOW: LinkQuality = { lossPct: 0, rttMs: 1200, jitterMs: 10, availableOutgoingBps: 1_500_000 };
const FAIR: LinkQuality = { lossPct: 10, rttMs: 250, jitterMs: 10, availableOutgoingBps: 1_500_000 };
/** A weak 4G uplink: 3 % random loss, RTT 250 ms, an estimate of 400 kbit/s. */
const RURAL: LinkQuality = { lossPct: 3, rttMs: 250, jitterMs: 20, availableOutgoingBps: 400_000 };
/** The link fell to 150 kbit/s: the estimate follows at once, loss and delay come later. */
const NARROW: LinkQuality = { lossPct: 2, rttMs: 120, jitterMs: 20, availableOutgoingBps: 120_000 };
const STARVED: LinkQuality = { lossPct: 2, rttMs: 120, jitterMs: 20, availableOutgoingBps: 30_000 };

const run = (qs: LinkQuality[], from: StepState = INITIAL_STEP) => qs.reduce((s, q) => nextStep(s, q), from);
const levels = (qs: LinkQuality[], from: StepState = INITIAL_STEP) => {
  const out: string[] = [];
  qs.reduce((s, q) => {
    const n = nextStep(s, q);
    out.push(n.level);
    return n;
  }, from);
  return out;
};

describe('step-down decisions', () => {
  it('computes the loss of the interval from cumulative counters, and takes delay and estimate from the newer sample', () => {
    const a = { at: 0, packetsReceived: 1000, packetsLost: 10, rttMs: 40, jitterMs: 3, availableOutgoingBps: 900_000 };
    const b = { at: 2000, packetsReceived: 1900, packetsLost: 110, rttMs: 50, jitterMs: 4, availableOutgoingBps: 300_000 };
    expect(qualityBetween(a, b)).toEqual({ lossPct: 10, rttMs: 50, jitterMs: 4, availableOutgoingBps: 300_000 });
    expect(qualityBetween(b, b).lossPct).toBe(0);
  });

  it('classifies heavy loss or delay as bad, ordinary rural loss and RTT as good, and the band between as fair', () => {
    expect(classify(LOSSY)).toBe('bad');
    expect(classify(SLOW)).toBe('bad');
    expect(classify({ ...GOOD, jitterMs: 200 })).toBe('bad');
    expect(classify(GOOD)).toBe('good');
    expect(classify(RURAL)).toBe('good');
    expect(classify({ ...RURAL, lossPct: 5 })).toBe('good');
    expect(classify(FAIR)).toBe('fair');
  });

  it('never steps down on steady rural loss and RTT, nor on a lone lossy second', () => {
    expect(run(Array(120).fill(RURAL)).level).toBe('full');
    expect(run([RURAL, LOSSY, RURAL, LOSSY, LOSSY, RURAL, LOSSY, LOSSY, RURAL]).level).toBe('full');
  });

  it('heavy loss three seconds in a row lowers resolution and frame rate first, three more go to audio only', () => {
    expect(run([LOSSY, LOSSY]).level).toBe('full');
    expect(run([LOSSY, LOSSY, LOSSY]).level).toBe('reduced');
    expect(run([LOSSY, LOSSY, LOSSY, SLOW, SLOW]).level).toBe('reduced');
    expect(run([LOSSY, LOSSY, LOSSY, SLOW, SLOW, SLOW]).level).toBe('audio_only');
  });

  it('a collapse of the bandwidth estimate steps down at once, a slow slide under the floor after two samples, before any loss shows', () => {
    expect(levels([GOOD, NARROW])).toEqual(['full', 'reduced']);
    const sliding = { ...NARROW, availableOutgoingBps: 150_000 };
    expect(levels([{ ...NARROW, availableOutgoingBps: 190_000 }, sliding, sliding])).toEqual(['full', 'full', 'reduced']);
    // Reduced video still fits under 120 kbit/s: the call keeps its picture; under 40 kbit/s only the voice goes on, and
    // its estimate swinging by half on a narrow link is no collapse.
    expect(run([NARROW, NARROW, { ...NARROW, availableOutgoingBps: 55_000 }, NARROW]).level).toBe('reduced');
    expect(run([NARROW, NARROW, NARROW, NARROW, NARROW]).level).toBe('reduced');
    expect(run([NARROW, NARROW, STARVED, STARVED]).level).toBe('audio_only');
  });

  it('steps back up to full once the estimate carries full video again, even at RTT 250 ms with 3 % loss', () => {
    const reduced = run([NARROW, NARROW]);
    expect(reduced.level).toBe('reduced');
    // At 180 kbit/s the estimate does not yet carry full video: the call holds reduced however long it lasts.
    expect(run(Array(30).fill({ ...RURAL, availableOutgoingBps: 180_000 }), reduced).level).toBe('reduced');
    expect(levels([RURAL, RURAL, RURAL], reduced)).toEqual(['reduced', 'reduced', 'full']);
  });

  it('from audio only, steps up on loss and delay alone (the estimate of a voice-only call says nothing of the link)', () => {
    const audio = run([LOSSY, LOSSY, LOSSY, LOSSY, LOSSY, LOSSY]);
    expect(audio.level).toBe('audio_only');
    const quiet = { ...RURAL, availableOutgoingBps: 70_000 };
    expect(levels([quiet, quiet, quiet], audio)).toEqual(['audio_only', 'audio_only', 'reduced']);
    expect(run([GOOD, GOOD, FAIR, GOOD, GOOD], audio).level).toBe('audio_only');
  });

  it('a step up undone at once doubles the wait before the next one (no flapping on a link that cannot carry it)', () => {
    const reduced = run([NARROW, NARROW]);
    const up = run([RURAL, RURAL, RURAL], reduced);
    expect(up.level).toBe('full');
    const downAgain = run(Array(DEFAULT_STEP_DOWN.downAfterBandwidthOnStepUp).fill(NARROW), up);
    expect(downAgain.level).toBe('reduced');
    expect(downAgain.upNeeded).toBe(2 * DEFAULT_STEP_DOWN.upAfter);
    expect(run(Array(5).fill(RURAL), downAgain).level).toBe('reduced');
    const upAgain = run(Array(6).fill(RURAL), downAgain);
    expect(upAgain.level).toBe('full');
    // Once a step up has held, the short wait comes back.
    expect(run(Array(DEFAULT_STEP_DOWN.upHeldAfter).fill(RURAL), upAgain).upNeeded).toBe(DEFAULT_STEP_DOWN.upAfter);
    expect(DEFAULT_STEP_DOWN.upAfter).toBeGreaterThanOrEqual(DEFAULT_STEP_DOWN.downAfterBandwidth);
  });

  it('both sides use the lower of their two levels', () => {
    expect(lowerLevel('full', 'reduced')).toBe('reduced');
    expect(lowerLevel('audio_only', 'reduced')).toBe('audio_only');
    expect(lowerLevel('full', 'full')).toBe('full');
  });

  it('maps each level to a ceiling for the video: full capped for a 640×480 picture, reduced at half size with no frame-rate ceiling (motion kept), audio only stops it', () => {
    expect(encodingFor('full')).toEqual({ active: true, scaleResolutionDownBy: 1, maxBitrate: VIDEO_MAX_BPS.full });
    expect(encodingFor('reduced')).toEqual({ active: true, scaleResolutionDownBy: 2, maxBitrate: VIDEO_MAX_BPS.reduced });
    expect(encodingFor('reduced')).not.toHaveProperty('maxFramerate');
    expect(encodingFor('audio_only').active).toBe(false);
    expect(VIDEO_MAX_BPS.full).toBeLessThan(1_000_000);
  });

  it('touches the sender only when the encoding changes', () => {
    expect(encodingChanged(null, encodingFor('full'))).toBe(true);
    expect(encodingChanged(encodingFor('full'), encodingFor('full'))).toBe(false);
    expect(encodingChanged(encodingFor('full'), encodingFor('reduced'))).toBe(true);
    expect(encodingChanged(encodingFor('reduced'), encodingFor('audio_only'))).toBe(true);
  });

  it('after a step up, a brief dip of the estimate (the larger key frame) does not step back down, a lasting one does', () => {
    const reduced = run([NARROW, NARROW]);
    const up = run([RURAL, RURAL, RURAL], reduced);
    expect(up.level).toBe('full');
    expect(run([NARROW, NARROW, RURAL, RURAL], up).level).toBe('full');
    expect(run(Array(DEFAULT_STEP_DOWN.downAfterBandwidthOnStepUp).fill(NARROW), up).level).toBe('reduced');
  });

  it('reads loss and jitter from the inbound audio (video when there is no audio) and the selected pair RTT from a getStats report', () => {
    const entries = [
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 900, packetsLost: 20, jitter: 0.09 },
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 100, packetsLost: 5, jitter: 0.03 },
      { type: 'candidate-pair', id: 'p1', nominated: true, state: 'succeeded', currentRoundTripTime: 0.5 },
      { type: 'candidate-pair', id: 'p2', nominated: true, state: 'succeeded', currentRoundTripTime: 0.12, availableOutgoingBitrate: 480_000 },
      { type: 'candidate-pair', id: 'p3', nominated: false, state: 'failed', currentRoundTripTime: 9 },
      { type: 'transport', id: 't', selectedCandidatePairId: 'p2' },
    ];
    const report = { forEach: (fn: (s: Record<string, unknown>) => void) => entries.forEach(fn) } as unknown as RTCStatsReport;
    const s = sampleFromReport(report, 5);
    expect(s).toMatchObject({ at: 5, packetsReceived: 100, packetsLost: 5, rttMs: 120, availableOutgoingBps: 480_000 });
    expect(s.jitterMs).toBeCloseTo(30);
    const videoOnly = { forEach: (fn: (x: Record<string, unknown>) => void) => entries.filter((e) => e.kind !== 'audio').forEach(fn) } as unknown as RTCStatsReport;
    expect(sampleFromReport(videoOnly, 6)).toMatchObject({ packetsReceived: 900, packetsLost: 20, jitterMs: null });
  });
});
