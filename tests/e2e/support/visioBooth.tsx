// The booth's call screen mounted alone for the e2e and the bench: the kiosk verbs it needs are stubbed and recorded on window.
import { StrictMode, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { initAgentI18n } from '../../../renderer/agent/i18n.js';
import { BoothCallScreen } from '../../../renderer/kiosk/visio/BoothCallScreen.js';
import { createBrowserBoothDeps, createBrowserHubLink, type KioskCallVerbs } from '../../../renderer/kiosk/visio/browserDeps.js';
import { createBoothCallStore } from '../../../renderer/kiosk/visio/callStore.js';
import '../../../renderer/ui/kiosk.css';

interface VisioProbe {
  visits: Array<{ organisation: string; startedAt: number; endedAt: number }>;
  faults: Array<{ faultKey: string; category: string }>;
  help: string[];
  prints: Array<{ title: string; size: number }>;
  done: number;
  store: ReturnType<typeof createBoothCallStore>;
  /** The kiosk's hub connection is up and authenticated (it opens at page load, as the kiosk's does at start-up). */
  hubReady: boolean;
}
declare global {
  interface Window {
    __visio: VisioProbe;
  }
}

initAgentI18n();
const params = new URLSearchParams(location.search);
const organisation = params.get('org') ?? 'CAF';
const verbs: KioskCallVerbs = {
  hubConnection: async () => ({ url: params.get('hub') ?? '', token: params.get('token') ?? '' }),
  recordVisit: async (v) => window.__visio.visits.push(v),
  reportFault: async (f) => window.__visio.faults.push(f),
  requestHelp: async (screen) => window.__visio.help.push(screen),
  documentCameraId: async () => null,
};
const deps = createBrowserBoothDeps(verbs);
// The kiosk keeps one hub connection while it runs (hubLink.ts); `link=0` opens one per call instead.
const hubLink = params.get('link') === '0' ? null : createBrowserHubLink(verbs);
const store = createBoothCallStore({ ...deps, hubLostAfterMs: Number(params.get('hubLostMs') ?? 30_000), ...(hubLink ? { hubLink: { kept: hubLink } } : {}) });
window.__visio = { visits: [], faults: [], help: [], prints: [], done: 0, store, hubReady: false };
if (hubLink) {
  void hubLink.acquire().then((hub) =>
    hub?.onEvent('status', ({ status }) => {
      window.__visio.hubReady = status === 'ready';
    }),
  );
}

/** The organisation screen's "call" button (as in OrganisationScreen), then the call screen it opens. */
function Harness() {
  const [calling, setCalling] = useState(false);
  if (!calling)
    return (
      <button type="button" id="visio-tap" className="button button--primary button--large" onClick={() => setCalling(true)}>
        Appeler en visio
      </button>
    );
  return (
    <BoothCallScreen
      organisation={organisation}
      organisationName="Caisse d'allocations familiales"
      store={store}
      endedReturnMs={Number(params.get('endedMs') ?? 8_000)}
      onDone={() => {
        window.__visio.done++;
        document.body.dataset.done = String(window.__visio.done);
      }}
      onPrintRequested={(bytes, title) => window.__visio.prints.push({ title, size: bytes.length })}
    />
  );
}

const root = document.getElementById('root');
if (root) {
  // Rendered synchronously so the button exists when the bench or the e2e taps.
  flushSync(() =>
    createRoot(root).render(
      <StrictMode>
        <Harness />
      </StrictMode>,
    ),
  );
}

/** The visitor's tap on the organisation's call button: React handles it as a click (the bench times from here). */
function tap(): number {
  const at = performance.timeOrigin + performance.now();
  document.getElementById('visio-tap')?.click();
  return at;
}
(window as unknown as { __visioTap: () => number }).__visioTap = tap;
if (params.get('autostart') !== '0') tap();
