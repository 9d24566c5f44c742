// Automatic step-down of the call's video from getStats samples: full → reduced → audio only, back up with hysteresis.

export type CallLevel = 'full' | 'reduced' | 'audio_only';
export const LEVELS: readonly CallLevel[] = ['full', 'reduced', 'audio_only'];

/** Cumulative counters read from one getStats() report (inbound RTP of what this side receives, and the ICE pair). */
export interface StatsSample {
  at: number;
  packetsReceived: number;
  packetsLost: number;
  /** Current round-trip time of the selected candidate pair, in ms, when known. */
  rttMs: number | null;
  /** Inbound jitter in ms, when known. */
  jitterMs: number | null;
}

export interface LinkQuality {
  lossPct: number;
  rttMs: number | null;
  jitterMs: number | null;
}

export interface StepDownOptions {
  /** Loss (%) or delay above which a sample is bad. */
  badLossPct: number;
  badRttMs: number;
  badJitterMs: number;
  /** Loss (%) and delay under which a sample is good. */
  goodLossPct: number;
  goodRttMs: number;
  goodJitterMs: number;
  /** Consecutive bad samples before stepping down one level. */
  downAfter: number;
  /** Consecutive good samples before stepping up one level (longer: hysteresis, so the call does not flap). */
  upAfter: number;
}

export const DEFAULT_STEP_DOWN: StepDownOptions = {
  badLossPct: 5,
  badRttMs: 400,
  badJitterMs: 60,
  goodLossPct: 1,
  goodRttMs: 200,
  goodJitterMs: 30,
  downAfter: 2,
  upAfter: 5,
};

export interface StepState {
  level: CallLevel;
  bad: number;
  good: number;
}

export const INITIAL_STEP: StepState = { level: 'full', bad: 0, good: 0 };

/** Loss over the interval between two samples (counters are cumulative); delay from the newer one. */
export function qualityBetween(previous: StatsSample, current: StatsSample): LinkQuality {
  const received = Math.max(0, current.packetsReceived - previous.packetsReceived);
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  const total = received + lost;
  return { lossPct: total === 0 ? 0 : (100 * lost) / total, rttMs: current.rttMs, jitterMs: current.jitterMs };
}

export function classify(q: LinkQuality, o: StepDownOptions = DEFAULT_STEP_DOWN): 'bad' | 'good' | 'fair' {
  if (q.lossPct >= o.badLossPct || (q.rttMs ?? 0) >= o.badRttMs || (q.jitterMs ?? 0) >= o.badJitterMs) return 'bad';
  if (q.lossPct < o.goodLossPct && (q.rttMs ?? 0) < o.goodRttMs && (q.jitterMs ?? 0) < o.goodJitterMs) return 'good';
  return 'fair';
}

/** The next state after one quality measurement. */
export function nextStep(state: StepState, q: LinkQuality, o: StepDownOptions = DEFAULT_STEP_DOWN): StepState {
  const verdict = classify(q, o);
  const index = LEVELS.indexOf(state.level);
  if (verdict === 'bad') {
    const bad = state.bad + 1;
    if (bad >= o.downAfter && index < LEVELS.length - 1) return { level: LEVELS[index + 1]!, bad: 0, good: 0 };
    return { level: state.level, bad, good: 0 };
  }
  if (verdict === 'good') {
    const good = state.good + 1;
    if (good >= o.upAfter && index > 0) return { level: LEVELS[index - 1]!, bad: 0, good: 0 };
    return { level: state.level, bad: 0, good };
  }
  return { level: state.level, bad: 0, good: 0 };
}

/** The lower of two levels: each side measures what it receives; both apply and show the worse one. */
export function lowerLevel(a: CallLevel, b: CallLevel): CallLevel {
  return LEVELS[Math.max(LEVELS.indexOf(a), LEVELS.indexOf(b))]!;
}

/** What a level asks of the video sender (RTCRtpEncodingParameters). */
export function encodingFor(level: CallLevel): { active: boolean; scaleResolutionDownBy: number; maxFramerate?: number; maxBitrate?: number } {
  if (level === 'full') return { active: true, scaleResolutionDownBy: 1 };
  if (level === 'reduced') return { active: true, scaleResolutionDownBy: 2, maxFramerate: 10, maxBitrate: 150_000 };
  return { active: false, scaleResolutionDownBy: 1 };
}

/**
 * Reads a StatsSample out of an RTCStatsReport: packets, loss and jitter of the inbound audio, which flows at every
 * level (video stops in audio only, and its counters jump when it is paused and resumed; its jitter follows the frame
 * rate rather than the network), and the RTT of the transport's selected candidate pair. Without inbound audio, the
 * video counters are used.
 */
export function sampleFromReport(report: RTCStatsReport, at: number): StatsSample {
  const counters = { audio: { received: 0, lost: 0, seen: false }, other: { received: 0, lost: 0, seen: false } };
  let jitter: number | null = null;
  let selectedPair: string | null = null;
  const pairs = new Map<string, Record<string, unknown>>();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'inbound-rtp') {
      const c = s.kind === 'audio' ? counters.audio : counters.other;
      c.seen = true;
      c.received += Number(s.packetsReceived ?? 0);
      c.lost += Math.max(0, Number(s.packetsLost ?? 0));
      if (s.kind === 'audio' && typeof s.jitter === 'number') jitter = Math.max(jitter ?? 0, s.jitter * 1000);
    } else if (s.type === 'candidate-pair') pairs.set(String(s.id), s);
    else if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') selectedPair = s.selectedCandidatePairId;
  });
  const used = counters.audio.seen ? counters.audio : counters.other;
  const packetsReceived = used.received;
  const packetsLost = used.lost;
  let pair = selectedPair ? pairs.get(selectedPair) : undefined;
  pair ??= [...pairs.values()].find((p) => p.nominated === true && p.state === 'succeeded');
  const rtt = typeof pair?.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null;
  return { at, packetsReceived, packetsLost, rttMs: rtt, jitterMs: jitter };
}
