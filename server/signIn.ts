// Sign-in of a socket: a booth by its token, an agent by login and password (scrypt) or by session, with the record
// of failed attempts that slows guessing down per token, login and address.
import type { Logger } from 'pino';
import type { HubErrorCode, HubFrame } from '../shared/protocol.js';
import { FailedAttempts, verifyPassword, type AttemptLimits } from './auth.js';
import type { CallEngine } from './calls.js';
import type { BoothTokens } from './boothTokens.js';
import type { Conn } from './connections/conn.js';
import type { ConnectionRegistry } from './connections/registry.js';
import { whenReady, type MaybePromise } from './maybe.js';
import { sha256, type AgentRow } from './store.js';

export interface SignInDeps {
  /** The SQLite store answers at once; the shared one (PostgreSQL, a hub across machines) later. */
  store: {
    agentByLogin(login: string): MaybePromise<AgentRow | null>;
    agentBySession(token: string, now: number): MaybePromise<AgentRow | null>;
    newSession(agentId: number, now: number, ttlMs: number): MaybePromise<string>;
  };
  boothTokens: Pick<BoothTokens, 'byTokenHash'>;
  registry: Pick<ConnectionRegistry, 'claimBooth' | 'claimAgent' | 'drop' | 'addressOf'>;
  engine: Pick<CallEngine, 'joinBooth' | 'joinAgent'>;
  sendFrame: (conn: Conn, frame: HubFrame) => void;
  sendRaw: (conn: Conn, text: string) => void;
  sendError: (conn: Conn, code: HubErrorCode, extra?: { retryAfterMs?: number }) => void;
  /** The presence told to a socket as it signs in. */
  presenceText: () => string;
  /** An agent signed in is watched by the liveness checks. */
  watch: (conn: Conn) => void;
  /** A booth signed in (the fleet notes it online). */
  boothJoined: (boothId: number) => void;
  clock: () => number;
  attemptLimits: AttemptLimits;
  sessionTtlMs: number;
  /** A password hash checked when the login is unknown, so that its answer takes as long as a wrong password's. */
  dummyHash: string;
  log: Logger;
}

export interface SignIn {
  /** A booth's sign-in, from its `auth.booth` frame or its handshake. */
  booth(conn: Conn, token: string): void;
  /** An agent's sign-in with a session, from its `auth.session` frame or its handshake. */
  session(conn: Conn, session: string): void;
  /** An agent's sign-in with login and password (`auth.agent`): scrypt runs off the event loop. */
  password(conn: Conn, login: string, password: string): Promise<void>;
  /** Forgets failures older than the window (the periodic tick). */
  prune(): void;
}

/** Failed sign-ins are counted per token (by the start of its hash) and per address. */
const boothAttemptKey = (tokenHash: string): string => `#booth:${tokenHash.slice(0, 16)}`;

export function createSignIn(deps: SignInDeps): SignIn {
  const { store, registry, engine, sendFrame, sendError, clock, log } = deps;
  const attempts = new FailedAttempts(deps.attemptLimits, clock);

  function admitBooth(conn: Conn, id: number, name: string, demo: boolean): void {
    registry.claimBooth(conn, id);
    engine.joinBooth(conn.id, { boothId: id, siteName: name });
    sendFrame(conn, { type: 'auth.ok', role: 'booth', id, name, organisation: null, session: null, demo });
    deps.sendRaw(conn, deps.presenceText());
    deps.boothJoined(id);
  }

  function admitAgent(conn: Conn, agent: AgentRow, session: string | null, sessionHash: string): void {
    registry.claimAgent(conn, agent.id, sessionHash);
    engine.joinAgent(conn.id, { agentId: agent.id, organisation: agent.organisation, displayName: agent.displayName });
    sendFrame(conn, { type: 'auth.ok', role: 'agent', id: agent.id, name: agent.displayName, organisation: agent.organisation, session, demo: agent.demo });
    deps.sendRaw(conn, deps.presenceText());
    deps.watch(conn);
  }

  /**
   * The shared store unreachable (PostgreSQL restarting): the socket is told, then closed as « try again later » (1013),
   * so that the client signs in again with its backoff instead of waiting on a socket that the sign-in timeout would
   * close 15 s later; the log says why.
   */
  function storeFailed(conn: Conn, e: unknown): void {
    log.error({ code: 'HUB_STORE_FAILED', err: (e as Error).message }, 'sign-in: store unreachable');
    registry.drop(conn, 'INTERNAL', 1013);
  }

  return {
    booth(conn, token) {
      const hash = sha256(token);
      if (!attempts.quiet) {
        const wait = attempts.retryAfter(boothAttemptKey(hash), registry.addressOf(conn));
        if (wait > 0) return sendError(conn, 'AUTH_RATE_LIMITED', { retryAfterMs: wait });
      }
      whenReady(
        deps.boothTokens.byTokenHash(hash),
        (booth) => {
          if (conn.closed) return;
          if (!booth) {
            attempts.fail(boothAttemptKey(hash), registry.addressOf(conn));
            log.warn({ code: 'HUB_AUTH_FAILED' }, 'booth token refused');
            return sendError(conn, 'AUTH_FAILED');
          }
          if (booth.revoked) return registry.drop(conn, 'REVOKED', 4003);
          admitBooth(conn, booth.id, booth.name, booth.demo);
        },
        (e) => storeFailed(conn, e),
      );
    },
    session(conn, session) {
      whenReady(
        store.agentBySession(session, clock()),
        (agent) => {
          if (conn.closed) return;
          if (!agent) {
            attempts.fail(`#session`, registry.addressOf(conn));
            return sendError(conn, 'AUTH_FAILED');
          }
          if (agent.revoked) return registry.drop(conn, 'REVOKED', 4003);
          admitAgent(conn, agent, session, sha256(session));
        },
        (e) => storeFailed(conn, e),
      );
    },
    async password(conn, login, password) {
      const address = registry.addressOf(conn);
      // The check counts against the limits from now until scrypt ends: parallel guesses cannot pass them meanwhile.
      const wait = attempts.begin(login, address);
      if (wait > 0) {
        log.warn({ code: 'HUB_AUTH_RATE_LIMITED' }, 'too many wrong passwords');
        sendError(conn, 'AUTH_RATE_LIMITED', { retryAfterMs: wait });
        return;
      }
      conn.authPending = true;
      let agent: AgentRow | null = null;
      let good = false;
      let failure: { error: unknown } | null = null;
      try {
        agent = await store.agentByLogin(login);
        good = (await verifyPassword(password, agent?.passwordHash ?? deps.dummyHash)) && agent !== null;
      } catch (error) {
        failure = { error };
      } finally {
        conn.authPending = false;
        // A revoked agent's right password is neither a failure nor a success, nor is a password the store could not
        // check (PostgreSQL restarting): agents signing in again after it are not held back as if they had guessed.
        attempts.settle(login, address, failure || (good && agent?.revoked) ? 'neither' : good ? 'succeeded' : 'failed');
      }
      if (failure) return storeFailed(conn, failure.error);
      if (conn.closed) return;
      if (!agent || !good) {
        log.warn({ code: 'HUB_AUTH_FAILED' }, 'agent sign-in failed');
        sendError(conn, 'AUTH_FAILED');
        return;
      }
      if (agent.revoked) return registry.drop(conn, 'REVOKED', 4003);
      let session: string;
      try {
        session = await store.newSession(agent.id, clock(), deps.sessionTtlMs);
      } catch (e) {
        return storeFailed(conn, e);
      }
      if (conn.closed) return;
      admitAgent(conn, agent, session, sha256(session));
    },
    prune: () => attempts.prune(),
  };
}
