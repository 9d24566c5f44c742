// A fake organisation's online service on 127.0.0.1 for end-to-end tests of guided teleservice sessions: a login that
// sets a cookie and localStorage, pages matching a guide's steps, a PDF to download, a refused file, a foreign link.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface FakeOnlineService {
  /** `http://127.0.0.1:<port>` of the service. */
  origin: string;
  /** `http://127.0.0.1:<port>` of another site, linked from the service's pages (must be refused). */
  foreignOrigin: string;
  /** Session tokens the service issued (a test can check the login reached the server). */
  issuedSessions(): number;
  close(): Promise<void>;
}

export interface FakeOnlineServiceOptions {
  /** Send `X-Frame-Options: DENY` and `frame-ancestors 'none'` like real sites (default true). */
  refuseFraming?: boolean;
}

export const FAKE_GUIDE_ID = 'service-factice';
export const FAKE_PDF_TEXT = 'Attestation de test';

const page = (title: string, body: string): string => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>`;

export async function makeTestPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText(FAKE_PDF_TEXT, { x: 72, y: 760, size: 24, font });
  return pdf.save();
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function readCookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export async function startFakeOnlineService(options: FakeOnlineServiceOptions = {}): Promise<FakeOnlineService> {
  const refuseFraming = options.refuseFraming ?? true;
  const pdf = await makeTestPdf();
  const sessions = new Set<string>();
  const foreign = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('Site étranger', '<p>Vous ne devriez pas voir cette page pendant une séance guidée.</p>'));
  });

  const main = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const loggedIn = sessions.has(readCookie(req, 'session') ?? '');
    const base: http.OutgoingHttpHeaders = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (refuseFraming) {
      base['x-frame-options'] = 'DENY';
      base['content-security-policy'] = "frame-ancestors 'none'";
    }
    const nav = `<nav><a href="/espace">Mon espace</a> <a href="/espace/declaration">Déclarer</a>
<a id="foreign" href="${foreign.origin}/">Un autre site</a>
<a id="foreign-popup" href="${foreign.origin}/popup" target="_blank">Un autre site (nouvelle fenêtre)</a></nav>`;

    if (req.method === 'POST' && url.pathname === '/login') {
      req.resume();
      const token = randomBytes(12).toString('hex');
      sessions.add(token);
      res.writeHead(303, { location: '/espace', 'set-cookie': `session=${token}; Path=/; HttpOnly; SameSite=Lax` });
      return void res.end();
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, base);
      return void res.end(
        page(
          'Connexion',
          `<form method="post" action="/login"><label>Identifiant <input name="identifiant" autocomplete="off"></label>
<button type="submit" id="login">Se connecter</button></form>${nav}`,
        ),
      );
    }
    if (req.method === 'GET' && url.pathname === '/espace') {
      res.writeHead(200, base);
      // `#storage` shows what this origin's localStorage held before the page set it: a fresh session shows "vide".
      return void res.end(
        page(
          'Mon espace',
          `<p id="status">${loggedIn ? 'Connecté' : 'Non connecté'}</p><p id="storage"></p>
<script>
  document.getElementById('storage').textContent = localStorage.getItem('loggedIn') === null ? 'stockage vide' : 'stockage : ' + localStorage.getItem('loggedIn');
  ${loggedIn ? "localStorage.setItem('loggedIn', 'oui');" : ''}
</script>
<p><a id="pdf" href="/espace/attestation.pdf">Télécharger mon attestation</a> <a id="txt" href="/espace/notes.txt">Télécharger un fichier texte</a></p>${nav}`,
        ),
      );
    }
    if (req.method === 'GET' && url.pathname === '/espace/declaration') {
      res.writeHead(200, base);
      return void res.end(page('Déclaration', `<p>${loggedIn ? 'Connecté' : 'Non connecté'}</p><a id="confirm" href="/espace/declaration/confirmation">Valider</a>${nav}`));
    }
    if (req.method === 'GET' && url.pathname === '/espace/declaration/confirmation') {
      res.writeHead(200, base);
      return void res.end(page('Déclaration enregistrée', `<p>Merci.</p>${nav}`));
    }
    if (req.method === 'GET' && url.pathname === '/espace/attestation.pdf') {
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': 'attachment; filename="attestation.pdf"',
        'content-length': pdf.length,
      });
      return void res.end(Buffer.from(pdf));
    }
    if (req.method === 'GET' && url.pathname === '/espace/notes.txt') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-disposition': 'attachment; filename="notes.txt"' });
      return void res.end('pas un PDF');
    }
    if (req.method === 'GET' && url.pathname === '/vers-ailleurs') {
      res.writeHead(302, { location: `${foreign.origin}/` });
      return void res.end();
    }
    res.writeHead(404, base);
    res.end(page('Introuvable', nav));
  });

  const stop = (server: http.Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    origin: main.origin,
    foreignOrigin: foreign.origin,
    issuedSessions: () => sessions.size,
    close: async () => {
      await Promise.all([stop(main.server), stop(foreign.server)]);
    },
  };
}

/** The YAML of a guide for the fake service; its file must be named `${FAKE_GUIDE_ID}.yaml` (see `writeFakeServiceGuide`). */
export function fakeServiceGuide(origin: string): string {
  return `# Guide de test pour le service factice (tests de bout en bout).
id: ${FAKE_GUIDE_ID}
organisation: CAF
title: Service factice de test
summary: Un faux service en ligne pour les tests.
startUrl: ${origin}/
allowedOrigins:
  - ${origin}
visitorMayStart: true
steps:
  - title: Se connecter
    text: Tapez un identifiant. Touchez « Se connecter ».
    urlPattern: /
  - title: Ouvrir mon espace
    text: Votre espace s'affiche.
    urlPattern: /espace
  - title: Déclarer
    text: Remplissez la déclaration.
    urlPattern: /espace/declaration
  - title: Confirmation
    text: La déclaration est enregistrée.
    urlPattern: /espace/declaration/confirmation
  - title: Imprimer l'attestation
    text: Touchez « Télécharger mon attestation ».
`;
}

/** Writes the fake service's guide into `dir` (e.g. the folder passed as RELAIS_EXTRA_GUIDES_DIR); returns its path. */
export async function writeFakeServiceGuide(dir: string, origin: string): Promise<string> {
  const path = join(dir, `${FAKE_GUIDE_ID}.yaml`);
  await writeFile(path, fakeServiceGuide(origin), 'utf8');
  return path;
}
