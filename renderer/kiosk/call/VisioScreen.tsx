// The kiosk's "visio" screen: the booth call wired to the kiosk bridge (hub.connection, visio.recordVisit, settings.devices,
// incidents.reportFault, help.request); back home when the call is over.
import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { RelaisApi } from '../../../shared/contract.js';
import { getBridge, unwrap } from '../../bridge/index.js';
import { useAppStore } from '../stores/appStore.js';
import { BoothCallScreen } from './BoothCallScreen.js';
import { createBrowserBoothDeps, type KioskCallVerbs } from './browserDeps.js';
import { useIdleBlock } from '../idle/useIdleBlock.js';
import { usePrintConfirm } from '../printing/PrintConfirm.js';
import { createBoothCallStore } from './callStore.js';

export function kioskCallVerbs(bridge: RelaisApi): KioskCallVerbs {
  return {
    hubConnection: () => unwrap(bridge.hub.connection({})),
    recordVisit: (v) => unwrap(bridge.visio.recordVisit(v)),
    // The call store names faults `visio.<what>`; the contract's FaultKey is `<family>:<detail>` (no dot in the family),
    // so `visio.hub_unreachable` is logged as `visio:hub_unreachable`.
    reportFault: (f) => unwrap(bridge.incidents.reportFault({ ...f, faultKey: f.faultKey.replace(/^visio\./, 'visio:') })),
    requestHelp: (screen) => unwrap(bridge.help.request({ screen })),
    documentCameraId: async () => (await unwrap(bridge.settings.devices({}))).documentCameraId,
  };
}

export function VisioScreen({ code, onPrintRequested }: { code: string; onPrintRequested?: (pdfBytes: Uint8Array, title: string) => void }) {
  const organisation = useAppStore((s) => s.organisations.find((o) => o.code === code));
  const go = useAppStore((s) => s.go);
  const store = useMemo(() => createBoothCallStore(createBrowserBoothDeps(kioskCallVerbs(getBridge()))), []);
  // A PDF sent by the agent is printed after the visitor confirms (unless the caller wires its own printing).
  const print = usePrintConfirm(code);
  const phase = useStore(store, (s) => s.phase);
  // A visitor waiting in the queue or talking to an agent is never sent home by the idle guard.
  useIdleBlock(phase === 'waiting' || phase === 'connecting' || phase === 'connected');
  // After a call that was answered, the satisfaction survey (it goes home by itself when the site does not offer it).
  const done = () => (store.getState().startedAt !== null ? go({ name: 'survey', organisation: code, service: 'visio' }) : go({ name: 'home' }));
  return (
    <>
      <BoothCallScreen organisation={code} organisationName={organisation?.name ?? code} store={store} onDone={done} onPrintRequested={onPrintRequested ?? print.request} />
      {print.dialog}
    </>
  );
}
