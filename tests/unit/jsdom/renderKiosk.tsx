// Renders kiosk components as main.tsx does: inside the providers of one bridge (usually a fakeBridge) and its own stores,
// so each test starts from fresh stores and nothing is reset between tests.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import type { RelaisApi } from '../../../shared/contract/index.js';
import { KioskProviders } from '../../../renderer/kiosk/KioskProviders.js';
import { createKioskStores } from '../../../renderer/kiosk/stores/createKioskStores.js';
import type { KioskStores } from '../../../renderer/kiosk/stores/storesContext.js';

export interface TestKiosk {
  bridge: RelaisApi;
  stores: KioskStores;
}

/** A bridge and the stores built on it, for a test that sets the stores' state before rendering. */
export function testKiosk(bridge: RelaisApi): TestKiosk {
  return { bridge, stores: createKioskStores(bridge) };
}

/** Renders `ui` inside the kiosk's providers; without `stores`, fresh ones are built on `bridge`. */
export function renderKiosk(ui: ReactElement, { bridge, stores = createKioskStores(bridge) }: { bridge: RelaisApi; stores?: KioskStores }): RenderResult & { stores: KioskStores } {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <KioskProviders bridge={bridge} stores={stores}>
      {children}
    </KioskProviders>
  );
  return Object.assign(render(ui, { wrapper }), { stores });
}
