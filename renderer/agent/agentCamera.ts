// The agent's camera and microphone held open while the agent may take a call, so accepting answers at once. Nothing is
// sent to anyone before the agent accepts.
import type { AgentDeps, AgentStateAccess } from './agentState.js';

export interface WarmCamera {
  /** Opens the camera when the agent may take a call and none is open or opening. */
  warmUp(): void;
  /** Releases the camera held open; an opening in progress is stopped when it answers. */
  coolDown(): void;
  /** The open camera with live tracks, taken for a call now; null when there is none. */
  takeReady(): MediaStream | null;
  /** Whether a camera is open or opening. */
  held(): boolean;
  /** The warm stream for a call, waiting for an opening in progress; null when none. */
  take(): Promise<MediaStream | null>;
}

const live = (stream: MediaStream) => stream.getTracks().every((t) => t.readyState !== 'ended');

/** `mayWarm`: whether the agent may take a call now (signed in, available, no call, accepting none). */
export function createWarmCamera(deps: Pick<AgentDeps, 'getMedia' | 'stopStream'>, state: AgentStateAccess, mayWarm: () => boolean): WarmCamera {
  const { get, set } = state;
  /** The camera opened ahead of the next call while available, and the opening in progress. */
  let warm: MediaStream | null = null;
  let warming: Promise<void> | null = null;
  /** Bumped by every release: an opening that answers after it is stopped at once. */
  let warmEpoch = 0;

  return {
    warmUp() {
      if (warm || warming || !mayWarm()) return;
      const epoch = warmEpoch;
      warming = deps.getMedia().then(
        (stream) => {
          warming = null;
          if (!stream) return;
          if (epoch !== warmEpoch || !mayWarm()) {
            deps.stopStream(stream);
            return;
          }
          warm = stream;
          set({ cameraReady: true });
        },
        () => {
          warming = null;
        },
      );
    },

    coolDown() {
      warmEpoch++;
      if (warm) deps.stopStream(warm);
      warm = null;
      if (get().cameraReady) set({ cameraReady: false });
    },

    takeReady() {
      const ready = warm && live(warm) ? warm : null;
      if (ready) warm = null;
      return ready;
    },

    held: () => warm !== null || warming !== null,

    async take() {
      if (!warm && warming) await warming;
      const stream = warm && live(warm) ? warm : null;
      if (warm && !stream) deps.stopStream(warm);
      warm = null;
      if (get().cameraReady) set({ cameraReady: false });
      return stream;
    },
  };
}
