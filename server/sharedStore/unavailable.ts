// Whether an error says that the shared store cannot be reached for now (PostgreSQL stopped, restarting, failing over,
// its connection cut or full), as opposed to a fault of the request or of the code: the first is answered « try again
// later » (HTTP 503, WebSocket 1013), the second is an internal error.

/** The socket errors of a connection that cannot be made or was cut (Node's system error codes). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/**
 * PostgreSQL's SQLSTATEs of the same kind: class 08 (connection exception), the server shutting down or starting
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now) and too many connections (53300).
 */
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres's own words for a connection it lost or could not get in time (its errors carry no code). */
const CLIENT_MESSAGES = ['Connection terminated', 'timeout exceeded when trying to connect', 'is not queryable', 'Cannot use a pool after calling end'];

export function storeUnavailable(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_STATES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && CLIENT_MESSAGES.some((m) => message.includes(m))) return true;
  // Several addresses tried (localhost as ::1 and 127.0.0.1): an AggregateError of refusals.
  return Array.isArray(errors) && errors.length > 0 && errors.every(storeUnavailable);
}
