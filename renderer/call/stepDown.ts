// Automatic step-down of the call's video from getStats samples: full → reduced → audio only, back up with hysteresis.
//
// The levels work with WebRTC's own congestion control, not against it. The sender's bandwidth estimate (the selected
// candidate pair's availableOutgoingBitrate) reacts to a capacity drop within about a second, so it drives the quick
// decisions: the video's maxBitrate always leaves room for the voice under that estimate, and a level steps down when
// the estimate can no longer carry its video. Loss and delay only step down when they are far beyond what a rural link
// shows every day (1–5 % random loss, 250 ms of RTT are ordinary on ADSL and weak 4G, and the encoder copes with them).

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
  /** This side's sending bandwidth estimate (selected pair's availableOutgoingBitrate), bit/s, when known. */
  availableOutgoingBps: number | null;
}

export interface LinkQuality {
  lossPct: number;
  rttMs: number | null;
  jitterMs: number | null;
  availableOutgoingBps: number | null;
}

export interface StepDownOptions {
  /** Loss (%) or delay above which a sample is bad (samples every second). */
  badLossPct: number;
  badRttMs: number;
  badJitterMs: number;
  /** Loss (%) and delay under which a sample is good. */
  goodLossPct: number;
  goodRttMs: number;
  goodJitterMs: number;
  /** Consecutive bad (loss or delay) samples before stepping down one level. */
  downAfter: number;
  /** Consecutive samples with the estimate below the level's floor before stepping down (bandwidth reacts faster). */
  downAfterBandwidth: number;
  /**
   * An estimate that falls under the floor to less than this share of the previous sample's is a collapse (the link's
   * capacity fell; WebRTC's estimate takes ~2 s to see it): step down at once.
   */
  collapseRatio: number;
  /**
   * The same, in the first upHeldAfter samples after a step up: the larger picture starts with a key frame that briefly
   * dips the estimate (measured: 310 → 110 kbit/s for 2 s), which is no reason to go back down.
   */
  downAfterBandwidthOnStepUp: number;
  /** Bandwidth estimate under which full video no longer fits beside the voice (full → reduced). */
  reducedBelowBps: number;
  /** Bandwidth estimate under which even the reduced video would crowd the voice (reduced → audio only). */
  audioOnlyBelowBps: number;
  /** Bandwidth estimate needed to step from reduced back to full (above reducedBelowBps: hysteresis). */
  fullFromBps: number;
  /** Consecutive good samples before stepping up one level (longer than a step-down: the call does not flap). */
  upAfter: number;
  /** A step up that is undone within this many samples doubles the next wait, up to maxUpAfter. */
  upHeldAfter: number;
  maxUpAfter: number;
}

/**
 * Measured on emulated rural links (`npm run bench:rural`): on « 4G faible » (3 % random loss each way, RTT ≈ 250 ms)
 * one-second windows of ~50 audio packets lose 0–6 % (15 % three seconds in a row would take 5+ losses of 50 three
 * times running); the estimate of a 500 kbit/s uplink stays above 240 kbit/s; when the link falls to 150 kbit/s the estimate falls to 80–110 kbit/s about 2 s later, in
 * one step. Stepping up to full at 200 kbit/s is safe: raising the video's ceiling makes WebRTC probe the link.
 */
export const DEFAULT_STEP_DOWN: StepDownOptions = {
  badLossPct: 15,
  badRttMs: 900,
  badJitterMs: 150,
  goodLossPct: 8,
  goodRttMs: 500,
  goodJitterMs: 100,
  downAfter: 3,
  downAfterBandwidth: 2,
  downAfterBandwidthOnStepUp: 5,
  collapseRatio: 0.5,
  reducedBelowBps: 160_000,
  audioOnlyBelowBps: 40_000,
  fullFromBps: 200_000,
  upAfter: 3,
  upHeldAfter: 10,
  maxUpAfter: 24,
};

export interface StepState {
  level: CallLevel;
  /** The previous sample's bandwidth estimate (null: unknown). */
  lastBps: number | null;
  /** Consecutive bad samples (loss or delay), and consecutive samples under the level's bandwidth floor. */
  bad: number;
  low: number;
  good: number;
  /** Good samples needed for the next step up (doubles after a step up that did not hold). */
  upNeeded: number;
  /** Samples since the last step up (null: none yet, or it held). */
  sinceUp: number | null;
}

export const INITIAL_STEP: StepState = { level: 'full', lastBps: null, bad: 0, low: 0, good: 0, upNeeded: DEFAULT_STEP_DOWN.upAfter, sinceUp: null };

/** Loss over the interval between two samples (counters are cumulative); delay and estimate from the newer one. */
export function qualityBetween(previous: StatsSample, current: StatsSample): LinkQuality {
  const received = Math.max(0, current.packetsReceived - previous.packetsReceived);
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  const total = received + lost;
  return {
    lossPct: total === 0 ? 0 : (100 * lost) / total,
    rttMs: current.rttMs,
    jitterMs: current.jitterMs,
    availableOutgoingBps: current.availableOutgoingBps ?? null,
  };
}

/** Loss and delay alone: bad only far beyond ordinary rural links, good on them. */
export function classify(q: LinkQuality, o: StepDownOptions = DEFAULT_STEP_DOWN): 'bad' | 'good' | 'fair' {
  if (q.lossPct >= o.badLossPct || (q.rttMs ?? 0) >= o.badRttMs || (q.jitterMs ?? 0) >= o.badJitterMs) return 'bad';
  if (q.lossPct < o.goodLossPct && (q.rttMs ?? 0) < o.goodRttMs && (q.jitterMs ?? 0) < o.goodJitterMs) return 'good';
  return 'fair';
}

/** The bandwidth estimate a level needs to hold (under it: step down), or null for audio only. */
function floorOf(level: CallLevel, o: StepDownOptions): number | null {
  if (level === 'full') return o.reducedBelowBps;
  if (level === 'reduced') return o.audioOnlyBelowBps;
  return null;
}

/**
 * Whether the estimate allows the level above. In audio only the estimate says nothing of the link (it only measures
 * the voice sent, and WebRTC does not probe above an application-limited rate), so loss and delay decide alone; the
 * reduced video, once on, lets WebRTC probe and raise its estimate.
 */
function bandwidthAllowsUp(level: CallLevel, bps: number | null, o: StepDownOptions): boolean {
  if (level === 'reduced') return bps === null || bps >= o.fullFromBps;
  return true;
}

/** The next state after one quality measurement (one sample a second). */
export function nextStep(state: StepState, q: LinkQuality, o: StepDownOptions = DEFAULT_STEP_DOWN): StepState {
  const verdict = classify(q, o);
  const index = LEVELS.indexOf(state.level);
  const floor = floorOf(state.level, o);
  const bps = q.availableOutgoingBps;
  const low = floor !== null && bps !== null && bps < floor ? state.low + 1 : 0;
  // Only full video collapses at once: on a narrow link the estimate of reduced video swings by half and back (measured
  // 66–110 kbit/s at 150 kbit/s), and dropping the picture for that would cost the visitor more than it saves.
  const collapsed = state.level === 'full' && low > 0 && state.lastBps !== null && bps! < o.collapseRatio * state.lastBps;
  const bad = verdict === 'bad' ? state.bad + 1 : 0;
  const sinceUp = state.sinceUp === null ? null : state.sinceUp + 1 >= o.upHeldAfter ? null : state.sinceUp + 1;
  // A step up that held long enough earns the short wait back.
  const upNeeded = state.sinceUp !== null && sinceUp === null ? o.upAfter : state.upNeeded;
  const lowLimit = state.sinceUp === null ? o.downAfterBandwidth : o.downAfterBandwidthOnStepUp;
  if ((bad >= o.downAfter || low >= lowLimit || (collapsed && state.sinceUp === null)) && index < LEVELS.length - 1) {
    const failedUp = state.sinceUp !== null;
    return {
      level: LEVELS[index + 1]!,
      lastBps: bps,
      bad: 0,
      low: 0,
      good: 0,
      upNeeded: failedUp ? Math.min(o.maxUpAfter, state.upNeeded * 2) : upNeeded,
      sinceUp: null,
    };
  }
  const good = verdict === 'good' && low === 0 && bandwidthAllowsUp(state.level, q.availableOutgoingBps, o) ? state.good + 1 : 0;
  if (good >= upNeeded && index > 0) return { level: LEVELS[index - 1]!, lastBps: bps, bad: 0, low: 0, good: 0, upNeeded, sinceUp: 0 };
  return { level: state.level, lastBps: bps, bad, low, good, upNeeded, sinceUp };
}

/** The lower of two levels: each side measures what it receives; both apply and show the worse one. */
export function lowerLevel(a: CallLevel, b: CallLevel): CallLevel {
  return LEVELS[Math.max(LEVELS.indexOf(a), LEVELS.indexOf(b))]!;
}

/** What a level asks of the video sender (RTCRtpEncodingParameters). */
export interface VideoEncoding {
  active: boolean;
  scaleResolutionDownBy: number;
  maxFramerate?: number;
  maxBitrate?: number;
}

/** Video bitrate ceiling per level (bit/s). */
export const VIDEO_MAX_BPS: Record<Exclude<CallLevel, 'audio_only'>, number> = { full: 900_000, reduced: 250_000 };

/**
 * The video encoding for a level. Each level only sets a ceiling and leaves the bitrate under it to WebRTC's congestion
 * control: a cap under the bandwidth estimate makes the sender application-limited, and WebRTC raises its estimate only
 * from what it actually sends (measured: capping full video at the estimate minus the voice's share held a 500 kbit/s
 * uplink's estimate at 240–330 kbit/s instead of 370–640, and after a drop the reduced video's estimate climbed back
 * too slowly to step up). Full video is capped at what a 640×480 picture at 15 fps needs (on a 4 Mbit/s line WebRTC
 * would otherwise send ~3 Mbit/s and queue it ahead of the voice); reduced video is 320×240 under 250 kbit/s at the
 * camera's frame rate: a 10 fps ceiling there left the picture at 9–11 fps for the 13 s the step back up takes after a
 * drop, while a bare call was back at 15 fps at the same 240 px (`bench:rural`, drop profile); at 320×240 the encoder
 * holds 15 fps in ~120 kbit/s, and under that `maintain-framerate` makes it give up detail rather than motion.
 */
export function encodingFor(level: CallLevel): VideoEncoding {
  if (level === 'audio_only') return { active: false, scaleResolutionDownBy: 1 };
  if (level === 'full') return { active: true, scaleResolutionDownBy: 1, maxBitrate: VIDEO_MAX_BPS.full };
  return { active: true, scaleResolutionDownBy: 2, maxBitrate: VIDEO_MAX_BPS.reduced };
}

/** Whether the video encoding changed (setParameters only then). */
export function encodingChanged(applied: VideoEncoding | null, wanted: VideoEncoding): boolean {
  if (!applied) return true;
  return (
    applied.active !== wanted.active ||
    applied.scaleResolutionDownBy !== wanted.scaleResolutionDownBy ||
    applied.maxFramerate !== wanted.maxFramerate ||
    applied.maxBitrate !== wanted.maxBitrate
  );
}

/**
 * Reads a StatsSample out of an RTCStatsReport: packets, loss and jitter of the inbound audio, which flows at every
 * level (video stops in audio only, and its counters jump when it is paused and resumed; its jitter follows the frame
 * rate rather than the network), and the RTT and sending estimate of the transport's selected candidate pair. Without
 * inbound audio, the video counters are used.
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
  const available = typeof pair?.availableOutgoingBitrate === 'number' ? pair.availableOutgoingBitrate : null;
  return { at, packetsReceived, packetsLost, rttMs: rtt, jitterMs: jitter, availableOutgoingBps: available };
}
