// The kiosk's bottom bar: a row of its own under every visitor screen, so « Appeler le médiateur » and the way back never
// float over the screen's content. A screen puts a control there with <BarSlot side="start|end">; the bar is not drawn
// when no screen uses it (the call, the survey, a guided session and the mediator's space have their own controls).
import { createContext, useContext, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface BarSlots {
  start: HTMLElement | null;
  end: HTMLElement | null;
}

/** Null outside a KioskBarFrame (a screen rendered alone, as in unit tests): its bar controls are then drawn in place. */
const BarContext = createContext<BarSlots | null>(null);

/** Renders `children` in the bottom bar (start: the way back, the mediator's entry; end: help). */
export function BarSlot({ side, children }: { side: 'start' | 'end'; children: ReactNode }) {
  const slots = useContext(BarContext);
  if (!slots) return <>{children}</>;
  const target = slots[side];
  return target ? createPortal(children, target) : null;
}

/**
 * Provides the bar's slots to the screens inside it and draws the bar after them. Its two slots are known after the first
 * commit (callback refs), and React draws the portals in that same commit's synchronous follow-up render, before paint.
 */
export function KioskBarFrame({ children, label }: { children: ReactNode; label: string }) {
  const [start, setStart] = useState<HTMLElement | null>(null);
  const [end, setEnd] = useState<HTMLElement | null>(null);
  return (
    <BarContext.Provider value={{ start, end }}>
      {children}
      <footer className="kiosk-bar" aria-label={label}>
        <div ref={setStart} className="kiosk-bar__slot kiosk-bar__slot--start" />
        <div ref={setEnd} className="kiosk-bar__slot kiosk-bar__slot--end" />
      </footer>
    </BarContext.Provider>
  );
}
