// The document camera choice of the mediator's device tab against a fake bridge and fake cameras: « Aucune » by default,
// a camera chosen and saved with a live preview, a chosen camera that is gone, a locked kiosk, names hidden before access.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireResult } from '../../../../shared/contract/index.js';
import { DocumentCameraPanel } from '../../../../renderer/kiosk/printing/DocumentCameraPanel.js';
import { fakeBridge } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

interface FakeCamera {
  deviceId: string;
  label: string;
}

/** navigator.mediaDevices with the given cameras: getUserMedia opens one by exact id, or fails like a browser. */
function fakeMedia(initial: FakeCamera[], options: { hideNamesUntilAccess?: boolean } = {}) {
  let cameras = initial;
  let allowed = !options.hideNamesUntilAccess;
  const opened: Array<{ constraints: MediaStreamConstraints; stopped: boolean }> = [];
  const listeners = new Set<() => void>();
  const media = {
    enumerateDevices: async () =>
      cameras.map((c) => ({ kind: 'videoinput', deviceId: allowed ? c.deviceId : '', label: allowed ? c.label : '', groupId: '', toJSON: () => ({}) })),
    getUserMedia: async (constraints: MediaStreamConstraints) => {
      const video = constraints.video as { deviceId?: { exact: string } } | true;
      const wanted = video === true ? cameras[0]?.deviceId : video.deviceId?.exact;
      if (!cameras.some((c) => c.deviceId === wanted)) throw Object.assign(new Error('no such camera'), { name: 'OverconstrainedError' });
      allowed = true;
      const record = { constraints, stopped: false };
      opened.push(record);
      const track = { stop: () => (record.stopped = true) };
      return { getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream;
    },
    addEventListener: (_type: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_type: string, fn: () => void) => listeners.delete(fn),
  };
  Object.defineProperty(navigator, 'mediaDevices', { value: media, configurable: true });
  return {
    opened,
    unplug(id: string) {
      cameras = cameras.filter((c) => c.deviceId !== id);
      for (const fn of listeners) fn();
    },
  };
}

const CALL_CAMERA = { deviceId: 'id-webcam', label: 'Webcam intégrée' };
const DOC_CAMERA = { deviceId: 'id-visualiseur', label: 'Visualiseur de documents' };

function bridgeWith(saved: string | null, save: (input: { documentCameraId: string | null }) => WireResult<unknown>) {
  const fake = fakeBridge({
    'visio.devices': () => ({ ok: true, value: { documentCameraId: saved } }),
    'visio.setDevices': (input) => save(input as { documentCameraId: string | null }),
  });
  kiosk = testKiosk(fake.api);
  return fake;
}
const accept = (input: { documentCameraId: string | null }) => ({ ok: true as const, value: input });

let original: PropertyDescriptor | undefined;
beforeEach(() => {
  original = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
});
afterEach(() => {
  if (original) Object.defineProperty(navigator, 'mediaDevices', original);
  else delete (navigator as unknown as Record<string, unknown>).mediaDevices;
});

const group = () => screen.getByRole('group', { name: 'Caméra utilisée pour « Montrer un document »' });

describe('document camera choice', () => {
  it('offers « Aucune » checked by default and every camera by its name, and says the call camera takes the documents', async () => {
    fakeMedia([CALL_CAMERA, DOC_CAMERA]);
    bridgeWith(null, accept);
    render(<DocumentCameraPanel />);
    await waitFor(() => expect(within(group()).getAllByRole('radio')).toHaveLength(3));
    expect((screen.getByRole('radio', { name: 'Aucune (la caméra de l’appel sert aussi aux documents)' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Webcam intégrée' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('radio', { name: 'Visualiseur de documents' }) as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText('Les documents sont photographiés avec la caméra de l’appel.')).toBeTruthy();
    expect(screen.queryByTestId('document-camera-preview')).toBeNull();
  });

  it('saves the camera the mediator picks, says so, and shows a live preview of exactly that camera', async () => {
    const media = fakeMedia([CALL_CAMERA, DOC_CAMERA]);
    const fake = bridgeWith(null, accept);
    render(<DocumentCameraPanel />);
    const docCamera = await screen.findByRole('radio', { name: 'Visualiseur de documents' });
    fireEvent.click(docCamera);
    await waitFor(() => expect((docCamera as HTMLInputElement).checked).toBe(true));
    expect(fake.calls.filter((c) => c.verb === 'visio.setDevices').map((c) => c.input)).toEqual([{ documentCameraId: 'id-visualiseur' }]);
    expect(screen.getByTestId('document-camera-notice').textContent).toBe('Réglage enregistré : Visualiseur de documents.');
    expect(await screen.findByLabelText('Image de la caméra à documents')).toBeTruthy();
    expect(media.opened.map((o) => o.constraints)).toEqual([{ video: { deviceId: { exact: 'id-visualiseur' } } }]);

    // Back to « Aucune »: saved as null, the preview closes and its camera is released.
    fireEvent.click(screen.getByRole('radio', { name: 'Aucune (la caméra de l’appel sert aussi aux documents)' }));
    await waitFor(() => expect(screen.queryByTestId('document-camera-preview')).toBeNull());
    expect(fake.calls.filter((c) => c.verb === 'visio.setDevices').at(-1)?.input).toEqual({ documentCameraId: null });
    expect(media.opened.every((o) => o.stopped)).toBe(true);
  });

  it('keeps a chosen camera that is gone and says the still falls back to the call camera, without saving anything', async () => {
    fakeMedia([CALL_CAMERA]);
    const fake = bridgeWith('id-visualiseur', accept);
    render(<DocumentCameraPanel />);
    const alert = await screen.findByTestId('document-camera-absent');
    expect(alert.textContent).toContain('La caméra à documents choisie est absente');
    expect(alert.textContent).toContain('les documents sont photographiés avec la caméra de l’appel');
    expect((screen.getByRole('radio', { name: 'Caméra choisie, absente pour le moment' }) as HTMLInputElement).checked).toBe(true);
    expect(fake.calls.some((c) => c.verb === 'visio.setDevices')).toBe(false);
  });

  it('says nothing about an absent camera while the browser has not listed the cameras yet', async () => {
    fakeMedia([CALL_CAMERA, DOC_CAMERA]);
    let answer: (list: MediaDeviceInfo[]) => void = () => undefined;
    const pending = new Promise<MediaDeviceInfo[]>((resolve) => (answer = resolve));
    const media = navigator.mediaDevices as unknown as { enumerateDevices: () => Promise<MediaDeviceInfo[]>; getUserMedia: () => Promise<MediaStream> };
    media.enumerateDevices = () => pending;
    media.getUserMedia = () => new Promise<MediaStream>(() => undefined);
    bridgeWith('id-visualiseur', accept);
    render(<DocumentCameraPanel />);
    await screen.findByRole('group', { name: 'Caméra utilisée pour « Montrer un document »' });
    expect(screen.queryByTestId('document-camera-absent')).toBeNull();
    expect(screen.queryByText('Aucune caméra n’est détectée.')).toBeNull();
    await act(async () => answer([]));
    expect(await screen.findByTestId('document-camera-absent')).toBeTruthy();
  });

  it('says the camera is absent when it is unplugged while the tab is open', async () => {
    const media = fakeMedia([CALL_CAMERA, DOC_CAMERA]);
    bridgeWith('id-visualiseur', accept);
    render(<DocumentCameraPanel />);
    expect(await screen.findByLabelText('Image de la caméra à documents')).toBeTruthy();
    expect(screen.queryByTestId('document-camera-absent')).toBeNull();
    act(() => media.unplug('id-visualiseur'));
    expect(await screen.findByTestId('document-camera-absent')).toBeTruthy();
    expect(screen.queryByTestId('document-camera-preview')).toBeNull();
  });

  it('shows the locked-kiosk error when saving is refused and keeps the previous choice checked', async () => {
    fakeMedia([CALL_CAMERA, DOC_CAMERA]);
    bridgeWith(null, () => ({ ok: false, error: { code: 'NOT_UNLOCKED', message: 'locked' } }));
    render(<DocumentCameraPanel />);
    fireEvent.click(await screen.findByRole('radio', { name: 'Visualiseur de documents' }));
    expect((await screen.findByText('Le mode médiateur est verrouillé. Entrez le code PIN.')).getAttribute('role')).toBe('alert');
    expect((screen.getByRole('radio', { name: 'Aucune (la caméra de l’appel sert aussi aux documents)' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Visualiseur de documents' }) as HTMLInputElement).checked).toBe(false);
  });

  it('hides the camera names until access is allowed, then lists them after « Afficher le nom des caméras »', async () => {
    fakeMedia([CALL_CAMERA, DOC_CAMERA], { hideNamesUntilAccess: true });
    bridgeWith(null, accept);
    render(<DocumentCameraPanel />);
    const show = await screen.findByRole('button', { name: 'Afficher le nom des caméras' });
    expect(within(group()).getAllByRole('radio')).toHaveLength(1);
    fireEvent.click(show);
    expect(await screen.findByRole('radio', { name: 'Visualiseur de documents' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Afficher le nom des caméras' })).toBeNull();
  });

  it('says no camera is detected when the browser lists none', async () => {
    fakeMedia([]);
    bridgeWith(null, accept);
    render(<DocumentCameraPanel />);
    expect(await screen.findByText('Aucune caméra n’est détectée.')).toBeTruthy();
  });
});
