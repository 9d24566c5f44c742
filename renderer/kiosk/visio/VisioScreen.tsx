// The kiosk's "visio" screen: the booth call wired to the kiosk bridge (hub.connection, visio.recordVisit, visio.devices,
// incidents.reportFault, help.request); back home when the call is over.
import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { RelaisApi } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { useAppStore } from '../stores/appStore.js';
import { BookAppointmentButton } from '../appointments/BookAppointmentButton.js';
import { BoothCallScreen } from './BoothCallScreen.js';
import { createBrowserBoothDeps, createBrowserHubLink, type KioskCallVerbs } from './browserDeps.js';
import { useIdleBlock } from '../teleservice/useIdleBlock.js';
import { usePrintConfirm } from '../printing/PrintConfirm.js';
import { createBoothCallStore } from './callStore.js';
import type { BoothHubLink } from './hubLink.js';
import type { BoothHubPort } from '../../call/ports.js';

export function kioskCallVerbs(bridge: RelaisApi): KioskCallVerbs {
  return {
    hubConnection: () => unwrap(bridge.hub.connection({})),
    recordVisit: (v) => unwrap(bridge.visio.recordVisit(v)),
    reportFault: (f) => unwrap(bridge.incidents.reportFault(f)),
    requestHelp: (screen) => unwrap(bridge.help.request({ screen })),
    documentCameraId: async () => (await unwrap(bridge.visio.devices({}))).documentCameraId,
  };
}

/**
 * The kiosk's hub connection kept while it runs: the app creates it once, calls warm() at start-up and close() when it
 * stops, and passes it to every VisioScreen (the visitor's tap then finds the booth connected and signed in).
 */
export function createKioskHubLink(bridge: RelaisApi, onHub?: (hub: BoothHubPort) => void): BoothHubLink {
  return createBrowserHubLink(kioskCallVerbs(bridge), onHub);
}

/**
 * `hubLink`: the kiosk's hub connection kept while it runs (createKioskHubLink, warmed at start-up, owned by the app); without
 * it each call opens its own socket after the tap.
 */
export function VisioScreen({
  code,
  onPrintRequested,
  hubLink,
  appointmentId,
}: {
  code: string;
  onPrintRequested?: (pdfBytes: Uint8Array, title: string) => void;
  hubLink?: BoothHubLink;
  /** The booth's appointment this call is for (the home's « Rejoindre »). */
  appointmentId?: string;
}) {
  const organisation = useAppStore((s) => s.organisations.find((o) => o.code === code));
  const go = useAppStore((s) => s.go);
  const bridge = useBridge();
  const store = useMemo(() => {
    const deps = createBrowserBoothDeps(kioskCallVerbs(bridge));
    return createBoothCallStore(hubLink ? { ...deps, hubLink: { kept: hubLink } } : deps);
  }, [bridge, hubLink]);
  // A PDF sent by the agent is printed after the visitor confirms (unless the caller wires its own printing).
  const print = usePrintConfirm(code);
  const phase = useStore(store, (s) => s.phase);
  // A visitor waiting in the queue or talking to an agent is never sent home by the idle guard.
  useIdleBlock(phase === 'waiting' || phase === 'connecting' || phase === 'connected');
  // After a call that was answered, the satisfaction survey (it goes home by itself when the site does not offer it).
  const done = () => (store.getState().startedAt !== null ? go({ name: 'survey', organisation: code, service: 'visio' }) : go({ name: 'home' }));
  return (
    <>
      <BoothCallScreen organisation={code} organisationName={organisation?.name ?? code} store={store} onDone={done} onPrintRequested={onPrintRequested ?? print.request} bookAppointment={<BookAppointmentButton organisation={code} />} {...(appointmentId === undefined ? {} : { appointmentId })} />
      {print.dialog}
    </>
  );
}
