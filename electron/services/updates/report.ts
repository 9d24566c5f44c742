// Tells the hub what became of an update (downloaded, updated, failed and why), over HTTP with the booth's token.
import type { UpdateReport } from '../../../shared/updates.js';
import type { Logger } from '../logger.js';
import type { UpdateFeed } from './feed.js';

export type UpdateReporter = (report: UpdateReport) => Promise<boolean>;

export function createUpdateReporter(feed: UpdateFeed, logger: Logger, fetchImpl: typeof fetch = fetch): UpdateReporter {
  const log = logger.child({ scope: 'updates' });
  return async (report) => {
    try {
      const r = await fetchImpl(feed.reportUrl, {
        method: 'POST',
        headers: { Authorization: `Bearer ${feed.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(15_000),
      });
      if (!r.ok) log.warn({ code: 'UPDATE_REPORT_REFUSED', status: r.status }, 'the hub refused the update report');
      return r.ok;
    } catch (cause) {
      log.warn({ code: 'UPDATE_REPORT_FAILED', err: (cause as Error).message }, 'update report not delivered');
      return false;
    }
  };
}
