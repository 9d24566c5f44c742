// Fake media for WebRTC tests: y4m files of one known colour, the Chromium flags, and an init script keeping ICE on 127.0.0.1.
import { writeFileSync } from 'node:fs';

export type Rgb = readonly [number, number, number];
export const RED: Rgb = [220, 30, 30];
export const BLUE: Rgb = [30, 40, 220];

/** BT.601 limited range, what Chromium's I420 → RGB conversion inverts. */
function yuvOf([r, g, b]: Rgb): [number, number, number] {
  const y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
  const u = 128 + (-37.797 * r - 74.203 * g + 112 * b) / 255;
  const v = 128 + (112 * r - 93.786 * g - 18.214 * b) / 255;
  return [Math.round(y), Math.round(u), Math.round(v)];
}

/** Writes a y4m (I420) of `frames` identical frames filled with one colour. */
export function writeY4m(file: string, colour: Rgb, width = 320, height = 240, frames = 4): void {
  const [y, u, v] = yuvOf(colour);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  const luma = width * height;
  const chroma = (width / 2) * (height / 2);
  const frame = Buffer.alloc(6 + luma + 2 * chroma);
  frame.write('FRAME\n', 0);
  frame.fill(y, 6, 6 + luma);
  frame.fill(u, 6 + luma, 6 + luma + chroma);
  frame.fill(v, 6 + luma + chroma);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

export function mediaArgs(y4m: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`,
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
  ];
}

/**
 * An init script (run before any page script) that wraps RTCPeerConnection: every ICE candidate whose address is not
 * 127.0.0.1 is dropped before the page sees it, so no packet leaves loopback; `relayOnly` forces iceTransportPolicy relay.
 */
export function loopbackIceScript(relayOnly: boolean): string {
  return `(() => {
    const Native = window.RTCPeerConnection;
    const relayOnly = ${JSON.stringify(relayOnly)};
    const keep = (c) => !c || !c.candidate || / 127\\.0\\.0\\.1 /.test(c.candidate);
    window.__iceDropped = 0;
    class LoopbackPeerConnection extends Native {
      constructor(config, ...rest) {
        super(relayOnly ? { ...(config || {}), iceTransportPolicy: 'relay' } : config, ...rest);
        window.__peerConnections = (window.__peerConnections || []).concat(this);
      }
      set onicecandidate(fn) {
        super.onicecandidate = fn && ((ev) => { if (keep(ev.candidate)) fn.call(this, ev); else window.__iceDropped++; });
      }
      get onicecandidate() { return super.onicecandidate; }
      addEventListener(type, fn, opts) {
        if (type !== 'icecandidate' || typeof fn !== 'function') return super.addEventListener(type, fn, opts);
        return super.addEventListener(type, (ev) => { if (keep(ev.candidate)) fn.call(this, ev); else window.__iceDropped++; }, opts);
      }
    }
    window.RTCPeerConnection = LoopbackPeerConnection;
  })();`;
}

/** Runs in the page: the mean colour of a centred 20×20 square of the video element matching `selector`. */
export const sampleVideoColour = (selector: string): Rgb | null => {
  const video = document.querySelector<HTMLVideoElement>(selector);
  if (!video || video.videoWidth === 0 || video.readyState < 2) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0);
  const x = Math.floor(canvas.width / 2) - 10;
  const y = Math.floor(canvas.height / 2) - 10;
  const d = ctx.getImageData(x, y, 20, 20).data;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < d.length; i += 4) {
    r += d[i]!;
    g += d[i + 1]!;
    b += d[i + 2]!;
  }
  const n = d.length / 4;
  return [Math.round(r / n), Math.round(g / n), Math.round(b / n)];
};

export function closeTo(actual: Rgb | null, expected: Rgb, tolerance = 40): boolean {
  return actual !== null && actual.every((c, i) => Math.abs(c - expected[i]!) <= tolerance);
}
