// The booth's one hub connection, kept while the kiosk runs: the visitor's tap finds it connected and authenticated, so the
// call request leaves with the pre-flight instead of after a socket opening and a login.
import type { BoothHubPort } from '../../call/ports.js';

export interface BoothHubLink {
  /** The started hub client (created at the first call), or null when `hub.connection` failed (asked again next time). */
  acquire(): Promise<BoothHubPort | null>;
  /** Connects now, before any call (what the kiosk does at start-up). */
  warm(): void;
  /** Stops the client (the kiosk closes); a later acquire connects again. */
  close(): void;
  /** The ICE servers the hub gave this booth when it signed in (for its next calls), or null before. */
  iceServers(): unknown[] | null;
}

export interface BoothHubLinkDeps {
  /** `hub.connection` of the kiosk contract. */
  hubConnection(): Promise<{ url: string; token: string }>;
  createHub(url: string, token: string): BoothHubPort;
  /** Called with each client created, before it connects: what listens to frames sent at sign-in (the configuration). */
  onHub?: (hub: BoothHubPort) => void;
}

export function createBoothHubLink(deps: BoothHubLinkDeps): BoothHubLink {
  let pending: Promise<BoothHubPort | null> | null = null;
  let hub: BoothHubPort | null = null;
  let closedAt = 0;
  let servers: unknown[] | null = null;

  const acquire = (): Promise<BoothHubPort | null> => {
    // A client refused by the hub (token revoked or replaced) is dropped: the next call asks the kiosk for the connection again.
    if (hub && (hub.status === 'refused' || hub.status === 'stopped')) {
      hub = null;
      pending = null;
    }
    if (pending) return pending;
    const epoch = closedAt;
    const p: Promise<BoothHubPort | null> = deps.hubConnection().then(
      (connection) => {
        // Closed while `hub.connection` was answering: this attempt is void.
        if (epoch !== closedAt) return null;
        const created = deps.createHub(connection.url, connection.token);
        hub = created;
        servers = null;
        // Sent right after sign-in, before any call: listened to before the socket opens.
        created.on('ice.servers', (f) => {
          if (f.callId === undefined) servers = f.iceServers;
        });
        deps.onHub?.(created);
        created.start();
        return created;
      },
      () => null,
    );
    pending = p;
    // A failed look-up is not kept: the next call asks the kiosk again.
    void p.then((h) => {
      if (!h && pending === p) pending = null;
    });
    return p;
  };

  return {
    acquire,
    warm: () => void acquire(),
    iceServers: () => servers,
    close() {
      closedAt++;
      pending = null;
      hub?.stop();
      hub = null;
      servers = null;
    },
  };
}
