// Where a booth finds its updates: the feed electron-updater's generic provider reads and the report route, on the same
// hub as its socket (ws → http, wss → https), with the booth's own token (the hub answers per booth: staged rollout).
import { UPDATES_FEED_PATH, UPDATES_REPORT_PATH } from '../../../shared/updates.js';

export interface UpdateFeed {
  /** Ends with `/updates/`: the provider requests `latest-linux.yml` / `latest.yml` and the files relative to it. */
  feedUrl: string;
  reportUrl: string;
  token: string;
}

/** The feed of a hub link, or null when there is none or its URL is not a ws(s) URL. */
export function updateFeedOf(hub: { url: string; token: string } | null): UpdateFeed | null {
  if (!hub || hub.token.length === 0) return null;
  let url: URL;
  try {
    url = new URL(hub.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
  const origin = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
  return { feedUrl: `${origin}${UPDATES_FEED_PATH}`, reportUrl: `${origin}${UPDATES_REPORT_PATH}`, token: hub.token };
}
