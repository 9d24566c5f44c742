// The « Bornes » view alone in a page, for its accessibility check in Chromium: the real components over the stubbed
// fleet API of the unit tests (the hub's fleet API is not needed to check what the view draws).
import { createRoot } from 'react-dom/client';
import { BoothAlerts } from '../../../renderer/coordinator/booths/BoothAlerts.js';
import { BoothsView } from '../../../renderer/coordinator/booths/BoothsView.js';
import { useBooths } from '../../../renderer/coordinator/booths/useBooths.js';
import { initCoordinatorI18n } from '../../../renderer/coordinator/i18n.js';
import { fleetApi } from '../../unit/jsdom/fleet/boothsFixtures.js';

initCoordinatorI18n('fr');
const api = fleetApi();
window.fetch = ((url: string, init?: RequestInit) => api.fetch(url, init)) as typeof fetch;

function Page() {
  const booths = useBooths(() => undefined);
  return (
    <main className="coord">
      <h1>Tableau de bord départemental</h1>
      <BoothAlerts data={booths.data} onShowBooths={() => undefined} />
      <BoothsView {...booths} onSignedOut={() => undefined} />
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<Page />);
