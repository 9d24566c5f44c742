// The booth's call screen mounted alone for the e2e and the bench: the kiosk verbs it needs are stubbed and recorded on window.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initAgentI18n } from '../../../renderer/agent/i18n.js';
import { BoothCallScreen } from '../../../renderer/kiosk/call/BoothCallScreen.js';
import { createBrowserBoothDeps } from '../../../renderer/kiosk/call/browserDeps.js';
import { createBoothCallStore } from '../../../renderer/kiosk/call/callStore.js';
import '../../../renderer/ui/kiosk.css';

interface VisioProbe {
  visits: Array<{ organisation: string; startedAt: number; endedAt: number }>;
  faults: Array<{ faultKey: string; category: string }>;
  help: string[];
  prints: Array<{ title: string; size: number }>;
  done: number;
  store: ReturnType<typeof createBoothCallStore>;
}
declare global {
  interface Window {
    __visio: VisioProbe;
  }
}

initAgentI18n();
const params = new URLSearchParams(location.search);
const organisation = params.get('org') ?? 'CAF';
const deps = createBrowserBoothDeps({
  hubConnection: async () => ({ url: params.get('hub') ?? '', token: params.get('token') ?? '' }),
  recordVisit: async (v) => window.__visio.visits.push(v),
  reportFault: async (f) => window.__visio.faults.push(f),
  requestHelp: async (screen) => window.__visio.help.push(screen),
  documentCameraId: async () => null,
});
const store = createBoothCallStore({ ...deps, hubLostAfterMs: Number(params.get('hubLostMs') ?? 30_000) });
window.__visio = { visits: [], faults: [], help: [], prints: [], done: 0, store };

function Harness() {
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

/** The visitor's tap: mounting the call screen starts the pre-flight and the call (the bench times from here). */
function tap(): number {
  const root = document.getElementById('root');
  const at = performance.timeOrigin + performance.now();
  if (root)
    createRoot(root).render(
      <StrictMode>
        <Harness />
      </StrictMode>,
    );
  return at;
}
(window as unknown as { __visioTap: () => number }).__visioTap = tap;
if (params.get('autostart') !== '0') tap();
