// Camera and microphone for a call: the pre-flight check, the document camera, and still photos as JPEG under 2 MB.
import { MAX_PHOTO_BYTES, encodeUnder } from './transfer.js';

export type PreflightFailure = 'NO_MEDIA_API' | 'CAMERA_MISSING' | 'MICROPHONE_MISSING' | 'PERMISSION_DENIED' | 'DEVICE_BUSY';

export type PreflightResult = { ok: true; stream: MediaStream } | { ok: false; failure: PreflightFailure };

/** The camera and microphone asked for a call (the booth's pre-flight and the agent's console use the same). */
export const CALL_MEDIA_CONSTRAINTS: MediaStreamConstraints = { audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } } };

/**
 * Opens camera and microphone, naming what is missing when it fails (standard APIs only: Chromium and Firefox).
 * The device list and getUserMedia are asked at once (the list only serves to name a missing device when getUserMedia fails), so the pre-flight
 * costs one getUserMedia and no more.
 */
export async function preflight(media: MediaDevices | undefined = globalThis.navigator?.mediaDevices): Promise<PreflightResult> {
  if (!media?.getUserMedia) return { ok: false, failure: 'NO_MEDIA_API' };
  // enumerateDevices may be refused before permission (null: unknown); getUserMedia then says what is wrong.
  const listing = Promise.resolve()
    .then(() => media.enumerateDevices())
    .catch(() => null);
  const opening = media.getUserMedia(CALL_MEDIA_CONSTRAINTS).then(
    (stream) => ({ stream, cause: null as unknown }),
    (cause: unknown) => ({ stream: null, cause }),
  );
  const [devices, opened] = await Promise.all([listing, opening]);
  const stream = opened.stream;
  if (!stream) {
    const listed = devices && missingOf(devices.some((d) => d.kind === 'videoinput'), devices.some((d) => d.kind === 'audioinput'));
    return { ok: false, failure: listed || failureOf(opened.cause) };
  }
  // The tracks obtained are the truth (a list read before permission may be incomplete).
  const lacking = missingOf(stream.getVideoTracks().length > 0, stream.getAudioTracks().length > 0);
  if (lacking) {
    stopStream(stream);
    return { ok: false, failure: lacking };
  }
  return { ok: true, stream };
}

/** The first device missing for a call, camera before microphone. */
function missingOf(hasCamera: boolean, hasMicrophone: boolean): PreflightFailure | null {
  if (!hasCamera) return 'CAMERA_MISSING';
  return hasMicrophone ? null : 'MICROPHONE_MISSING';
}

export function failureOf(cause: unknown): PreflightFailure {
  const name = (cause as { name?: string } | null)?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'PERMISSION_DENIED';
  if (name === 'NotReadableError' || name === 'AbortError') return 'DEVICE_BUSY';
  return 'CAMERA_MISSING';
}

/** The document camera chosen in settings, opened for one still (video only); null when absent. */
export async function openDocumentCamera(deviceId: string | null, media: MediaDevices | undefined = globalThis.navigator?.mediaDevices): Promise<MediaStream | null> {
  if (!deviceId || !media?.getUserMedia) return null;
  try {
    return await media.getUserMedia({ video: { deviceId: { exact: deviceId }, width: { ideal: 1920 }, height: { ideal: 1080 } } });
  } catch {
    return null;
  }
}

/** Takes a still of what the video element shows, as JPEG under `maxBytes`. */
export async function capturePhoto(video: HTMLVideoElement, maxBytes: number = MAX_PHOTO_BYTES): Promise<Uint8Array> {
  const width = video.videoWidth || 640;
  const height = video.videoHeight || 480;
  const encode = async (quality: number, scale: number): Promise<Uint8Array> => {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (!blob) throw new Error('toBlob failed');
    return new Uint8Array(await blob.arrayBuffer());
  };
  return (await encodeUnder(encode, maxBytes)).bytes;
}

/** Plays a stream on a fresh hidden video element until its first frame, for a still of the document camera. */
export async function stillFromStream(stream: MediaStream, maxBytes: number = MAX_PHOTO_BYTES): Promise<Uint8Array> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  if (video.videoWidth === 0) await new Promise<void>((resolve) => video.addEventListener('loadeddata', () => resolve(), { once: true }));
  try {
    return await capturePhoto(video, maxBytes);
  } finally {
    video.srcObject = null;
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const t of stream?.getTracks() ?? []) t.stop();
}
