// The « Mises à jour » view alone in a page served at the hub's origin by the e2e test: the real component calling the
// real hub's releases API with the coordinator's cookie.
import { createRoot } from 'react-dom/client';
import { initCoordinatorI18n } from '../../../renderer/coordinator/i18n.js';
import { UpdatesView } from '../../../renderer/coordinator/updates/UpdatesView.js';

initCoordinatorI18n('fr');

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <main className="coord">
      <h1>Tableau de bord départemental</h1>
      <UpdatesView onSignedOut={() => undefined} />
    </main>,
  );
