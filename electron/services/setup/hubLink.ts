// The hub this booth uses right now. Fixed at start, except once: when the first-start assistant enrols the booth, the
// embedded demonstration hub gives way to the department's hub without a restart (the renderer reloads to reconnect).
import type { HubConnection } from '../../../shared/contract/index.js';

export interface HubLink {
  current(): HubConnection | null;
  set(connection: HubConnection): void;
}

export function createHubLink(initial: HubConnection | null): HubLink {
  let connection = initial;
  return {
    current: () => connection,
    set(next) {
      connection = next;
    },
  };
}
