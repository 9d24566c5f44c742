// The catalogue of leaflets and blank forms printed in one tap.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ORGANISATION_CODES } from '../../../../../shared/domain.js';
import { DocumentCatalogue } from '../../../../../electron/services/printing/documents/catalogue.js';
import { silentLogger } from '../../../../../electron/services/logger.js';

const CATALOGUE = join(import.meta.dirname, '..', '..', '..', '..', '..', 'assets', 'documents', 'catalogue.json');
const work = mkdtempSync(join(tmpdir(), 'relais-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const catalogue = (): DocumentCatalogue => new DocumentCatalogue({ file: CATALOGUE, logger: silentLogger() });

describe('document catalogue', () => {
  it('has at least one leaflet for every seeded organisation, and lists per organisation', async () => {
    const c = catalogue();
    for (const org of ORGANISATION_CODES) {
      const docs = await c.listDocuments(org);
      expect(docs.some((d) => d.kind === 'leaflet'), org).toBe(true);
      expect(docs.every((d) => d.organisation === org)).toBe(true);
    }
    expect((await c.listDocuments('CAF')).map((d) => d.id)).toEqual(['caf-aides-logement', 'caf-changement-situation-vierge']);
  });

  it('gives the bytes of every listed document as a readable PDF marked as an example', async () => {
    const c = catalogue();
    for (const d of await c.listDocuments()) {
      const doc = await PDFDocument.load(await c.documentBytes(d.id));
      expect(doc.getPageCount()).toBeGreaterThan(0);
      expect(doc.getTitle()).toContain('exemple');
    }
  });

  it('answers NOT_FOUND for an unknown document and for a path leaving the assets folder', async () => {
    await expect(catalogue().documentBytes('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const dir = mkdtempSync(join(work, 'assets-'));
    const docs = join(dir, 'documents');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(docs);
    writeFileSync(
      join(docs, 'catalogue.json'),
      JSON.stringify({ documents: [{ id: 'evasion', organisation: 'CAF', kind: 'leaflet', title: 'x', description: '', file: '../../../etc/passwd.pdf' }] }),
    );
    const c = new DocumentCatalogue({ file: join(docs, 'catalogue.json'), logger: silentLogger() });
    await expect(c.documentBytes('evasion')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an unreadable catalogue gives an empty list, not a crash', async () => {
    const file = join(work, 'broken.json');
    writeFileSync(file, '{ pas du JSON');
    expect(await new DocumentCatalogue({ file, logger: silentLogger() }).listDocuments()).toEqual([]);
  });
});
