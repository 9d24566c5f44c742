// Entry of the kiosk renderer: the app's one bridge and its stores are created here, then provided to the components.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridge } from '../bridge/index.js';
import { initI18n } from '../i18n/index.js';
import '../ui/kiosk.css';
import { App } from './App.js';
import { KioskProviders } from './KioskProviders.js';
import { createKioskStores } from './stores/createKioskStores.js';

initI18n();
const root = document.getElementById('root');
if (root) {
  const bridge = createBridge();
  const stores = createKioskStores(bridge);
  createRoot(root).render(
    <StrictMode>
      <KioskProviders bridge={bridge} stores={stores}>
        <App />
      </KioskProviders>
    </StrictMode>,
  );
}
