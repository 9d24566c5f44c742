// "Call the mediator": a visitor's request for help from any screen, pending until a mediator acknowledges it.
import type { HelpState } from '../../../shared/contract/index.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';

export interface Help {
  /** Records a request from `screen`; while one is pending, a new request returns it instead of adding another. */
  request(screen: string): HelpState;
  state(): HelpState;
  /** Closes the pending request (if any) on behalf of a mediator. */
  acknowledge(mediatorId: number | null): HelpState;
  onChange(listener: (state: HelpState) => void): () => void;
}

export interface HelpDeps {
  db: Db;
  clock: () => number;
  logger: Logger;
}

interface CallRow {
  id: number;
  requested_at: number;
  screen: string;
}

const NONE: HelpState = { pending: false, requestId: null, requestedAt: null, screen: null };

export function createHelp({ db, clock, logger }: HelpDeps): Help {
  const log = logger.child({ scope: 'help' });
  const listeners = new Set<(state: HelpState) => void>();

  const pendingCall = db.prepare<[], CallRow>(
    'SELECT id, requested_at, screen FROM mediator_calls WHERE acknowledged_at IS NULL ORDER BY id DESC LIMIT 1',
  );
  const insertCall = db.prepare<[number, string]>('INSERT INTO mediator_calls (requested_at, screen) VALUES (?, ?)');
  const acknowledgeAll = db.prepare<[number, number | null]>(
    'UPDATE mediator_calls SET acknowledged_at = ?, mediator_id = ? WHERE acknowledged_at IS NULL',
  );

  const state = (): HelpState => {
    const row = pendingCall.get();
    return row ? { pending: true, requestId: row.id, requestedAt: row.requested_at, screen: row.screen } : NONE;
  };
  const emit = (s: HelpState): void => {
    for (const l of listeners) l(s);
  };

  return {
    request(screen) {
      const created = db.transaction((): boolean => {
        if (pendingCall.get()) return false;
        insertCall.run(clock(), screen);
        return true;
      })();
      const s = state();
      if (created) {
        log.info({ code: 'HELP_REQUESTED', requestId: s.requestId, screen }, 'visitor asked for the mediator');
        emit(s);
      }
      return s;
    },
    state,
    acknowledge(mediatorId) {
      const changes = acknowledgeAll.run(clock(), mediatorId).changes;
      const s = state();
      if (changes > 0) {
        log.info({ code: 'HELP_ACKNOWLEDGED', mediatorId }, 'help request acknowledged');
        emit(s);
      }
      return s;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
