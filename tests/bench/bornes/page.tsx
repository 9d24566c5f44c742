// The « Bornes » benchmark's page, bundled by esbuild and run in Chromium: renders the real BoothsView for the fleet and
// times it from inside the page (render committed, then style and layout forced), so Playwright's own latency is not in it.
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { BoothsView } from '../../../renderer/coordinator/booths/BoothsView.js';
import { initCoordinatorI18n } from '../../../renderer/coordinator/i18n.js';
import { benchFleet } from './fleet.js';

initCoordinatorI18n('fr');

declare global {
  interface Window {
    renderBornes(n: number): { ms: number; rows: number };
  }
}

window.renderBornes = (n) => {
  const data = benchFleet(n);
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const started = performance.now();
  flushSync(() => root.render(<BoothsView data={data} failed={false} reload={() => undefined} onSignedOut={() => undefined} />));
  // Style and layout of the whole table, as the browser must before the first paint.
  void host.getBoundingClientRect().height;
  const ms = performance.now() - started;
  const rows = host.querySelectorAll('tbody tr').length;
  root.unmount();
  host.remove();
  return { ms, rows };
};
