// Which hub a booth uses: the one configured for the site (RELAIS_HUB_URL + RELAIS_HUB_TOKEN, wss in production), or
// by default a demo hub started in-process on 127.0.0.1 with one demo agent per organisation.
// Both shells call it while composing the kiosk; it sits beside them, not in electron/services/, because it starts the
// hub program itself (through server/index.ts), which the kiosk's services never import.
import { join } from 'node:path';
import { startHub, type DemoAccounts } from '../server/index.js';
import type { HubConnection } from '../shared/contract/index.js';
import type { Logger } from './services/logger.js';

export interface BoothHub {
  connection: HubConnection | null;
  /** The demo accounts of the embedded hub (null for a configured hub). */
  demo: DemoAccounts | null;
  close(): Promise<void>;
}

export interface BoothHubOptions {
  /** The site's hub (kioskConfig.ts `hub`), or null for an embedded demo hub. */
  configured: { url: string; token: string } | null;
  /** The embedded demo hub's port (0: any free port). */
  demoHubPort: number;
  dataDir: string;
  /** The built renderer, whose agent.html the embedded hub serves as the agents' console. */
  staticDir: string;
  logger: Logger;
}

export async function resolveBoothHub({ configured, demoHubPort, dataDir, staticDir, logger }: BoothHubOptions): Promise<BoothHub> {
  const log = logger.child({ scope: 'hub-link' });
  if (configured) {
    log.info({ url: configured.url }, 'configured hub');
    return { connection: { url: configured.url, token: configured.token, demo: false, consoleUrl: null }, demo: null, close: async () => undefined };
  }
  try {
    const hub = await startHub({
      host: '127.0.0.1',
      port: demoHubPort,
      dataDir: join(dataDir, 'hub'),
      demo: true,
      staticDir,
      logger: logger.child({ scope: 'hub' }),
    });
    if (!hub.demo) throw new Error('the embedded hub did not create its demo accounts');
    log.info({ url: hub.url, console: hub.demo.consoleUrl }, 'embedded demo hub started');
    return {
      connection: { url: hub.url, token: hub.demo.boothToken, demo: true, consoleUrl: hub.demo.consoleUrl },
      demo: hub.demo,
      close: () => hub.close(),
    };
  } catch (cause) {
    log.error({ code: 'HUB_START_FAILED', err: cause }, 'the embedded hub could not start: visio is unavailable');
    return { connection: null, demo: null, close: async () => undefined };
  }
}
