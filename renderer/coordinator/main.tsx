// Entry of the coordinator's dashboard, served by the hub at /coordinator.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/kiosk.css';
import './coordinator.css';
import { CoordinatorApp } from './CoordinatorApp.js';
import { initCoordinatorI18n } from './i18n.js';

initCoordinatorI18n();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <CoordinatorApp />
    </StrictMode>,
  );
}
