// The booth.health frame: a booth frame, refused by the protocol when its health is out of bounds, accepted once the
// kiosk bounded it, and sent by HubClient.reportHealth only on an open socket.
import { describe, expect, it } from 'vitest';
import { BoothHealth } from '../../../../shared/fleet.js';
import { boundedHealth } from '../../../../shared/fleetBounds.js';
import { HubClient, type WebSocketLike } from '../../../../shared/hubClient.js';
import { AGENT_FRAMES, BOOTH_FRAMES, ClientFrame } from '../../../../shared/protocol.js';

const health: BoothHealth = {
  version: '0.2.0',
  shell: 'electron',
  printer: { state: 'stopped', reasons: ['door-open'] },
  cameras: 1,
  microphones: 1,
  freeDiskBytes: 1_000_000,
  lastCountSyncAt: null,
  openIncidents: 0,
  uptimeS: 10,
  clockOffsetMs: 0,
};

describe('booth.health frame', () => {
  it('is a booth frame, not an agent one', () => {
    expect(BOOTH_FRAMES.has('booth.health')).toBe(true);
    expect(AGENT_FRAMES.has('booth.health')).toBe(false);
  });

  it('is refused with hostile health, and accepted once bounded', () => {
    const hostile = { ...health, cameras: 500, uptimeS: -1, freeDiskBytes: Number.NaN, visitor: 'Mme Dupont' };
    expect(ClientFrame.safeParse({ type: 'booth.health', health: hostile }).success).toBe(false);
    const { visitor: _dropped, ...measured } = hostile;
    expect(ClientFrame.safeParse({ type: 'booth.health', health: boundedHealth(measured) }).success).toBe(true);
  });

  it('goes out from HubClient.reportHealth on an open socket only', () => {
    const sent: string[] = [];
    let readyState = 0;
    class FakeSocket implements WebSocketLike {
      get readyState() {
        return readyState;
      }
      send(data: string) {
        sent.push(data);
      }
      close() {}
      addEventListener() {}
    }
    const client = new HubClient({ url: 'ws://127.0.0.1:1/hub', WebSocket: FakeSocket, credentials: { role: 'booth', token: 't' }, setTimer: () => 0, clearTimer: () => undefined });
    client.start();
    expect(client.reportHealth(health)).toBe(false);
    readyState = 1;
    expect(client.reportHealth(health)).toBe(true);
    expect(JSON.parse(sent.at(-1) ?? '{}')).toEqual({ type: 'booth.health', health });
    client.stop();
  });
});
