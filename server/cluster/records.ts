// The call records of a node, written to the shared store as each call ends. When PostgreSQL cannot take one (a
// restart, a failover), the record is kept and written again at the node's next periodic pass, oldest first, until it
// is on disk: a visit is not lost because the database restarted while it ended. Writing a record is
// an upsert by call id, so one written twice (a reply lost after the write) is still one record.
import type { Logger } from 'pino';
import type { CallRecord } from '../calls.js';

/** Records kept at most while the store is unreachable: ~200 bytes each, hours of a department's calls. */
export const MAX_UNWRITTEN_RECORDS = 20_000;

export interface RecordWriter {
  /** Writes the record now, or keeps it to write again if the store refuses it. */
  record(c: CallRecord): void;
  /** Writes again what was kept, oldest first, stopping at the first failure; resolves when this pass is over. */
  retry(): Promise<void>;
  /** How many records wait to be written. */
  unwritten(): number;
  /** At a clean stop: the writes under way finished, then one more pass; resolves with how many are still unwritten. */
  drain(): Promise<number>;
}

export function createRecordWriter({ write, log, max = MAX_UNWRITTEN_RECORDS }: { write: (c: CallRecord) => Promise<void>; log: Logger; max?: number }): RecordWriter {
  const kept: CallRecord[] = [];
  const underWay = new Set<Promise<void>>();
  let retrying: Promise<void> | null = null;

  const push = (c: CallRecord): void => {
    kept.push(c);
    if (kept.length > max) {
      const lost = kept.shift()!;
      log.error({ code: 'HUB_RECORD_DROPPED', callId: lost.id, max }, 'too many call records waiting for the store: the oldest is dropped');
    }
  };
  const keep = (c: CallRecord, e: unknown): void => {
    log.error({ code: 'HUB_RECORD_FAILED', callId: c.id, err: (e as Error).message, unwritten: kept.length + 1 }, 'call record not written yet: kept to write again');
    push(c);
  };

  async function pass(): Promise<void> {
    let written = 0;
    while (kept.length > 0) {
      try {
        await write(kept[0]!);
      } catch (e) {
        log.warn({ code: 'HUB_RECORD_RETRY_FAILED', err: (e as Error).message, unwritten: kept.length }, 'call records still not written');
        break;
      }
      kept.shift();
      written++;
    }
    if (written > 0) log.info({ code: 'HUB_RECORDS_WRITTEN', written, unwritten: kept.length }, 'kept call records written');
  }

  return {
    record(c) {
      // While older ones wait, a new one waits behind them (the store is likely still down): one pass writes them all.
      if (kept.length > 0 || retrying) {
        push(c);
        return;
      }
      const p = write(c)
        .catch((e: unknown) => keep(c, e))
        .finally(() => underWay.delete(p));
      underWay.add(p);
    },
    retry() {
      if (retrying) return retrying;
      if (kept.length === 0) return Promise.resolve();
      retrying = pass().finally(() => (retrying = null));
      return retrying;
    },
    unwritten: () => kept.length,
    async drain() {
      await Promise.all([...underWay]);
      await this.retry();
      return kept.length;
    },
  };
}
