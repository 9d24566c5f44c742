// The catalogue of leaflets and blank forms printed in one tap (assets/documents/catalogue.json), per organisation.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { OrganisationCode } from '../../../../shared/domain.js';
import { ExpectedError } from '../../../../shared/errors.js';
import type { Logger } from '../../logger.js';

export const CatalogueEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    organisation: OrganisationCode,
    kind: z.enum(['leaflet', 'blank-form']),
    title: z.string().min(1).max(200),
    titleEn: z.string().min(1).max(200).optional(),
    description: z.string().max(1000),
    descriptionEn: z.string().max(1000).optional(),
    /** A PDF path relative to the catalogue's folder; it must stay inside the assets folder. */
    file: z.string().regex(/\.pdf$/i),
  })
  .strict();
export const Catalogue = z.object({ documents: z.array(CatalogueEntry) }).strict();

export interface DocumentSummary {
  id: string;
  organisation: string;
  kind: 'leaflet' | 'blank-form';
  title: string;
  titleEn: string | null;
  description: string;
  descriptionEn: string | null;
}

export interface DocumentCatalogueOptions {
  /** Path of catalogue.json (assets/documents/catalogue.json). */
  file: string;
  logger: Logger;
}

export class DocumentCatalogue {
  private readonly file: string;
  private readonly logger: Logger;
  private entries: Map<string, z.infer<typeof CatalogueEntry>> | null = null;

  constructor(options: DocumentCatalogueOptions) {
    this.file = options.file;
    this.logger = options.logger;
  }

  /** Reads the catalogue again; an unreadable catalogue is logged and leaves the list empty rather than failing the kiosk. */
  async reload(): Promise<void> {
    const entries = new Map<string, z.infer<typeof CatalogueEntry>>();
    try {
      const catalogue = Catalogue.parse(JSON.parse(await readFile(this.file, 'utf8')));
      for (const e of catalogue.documents) {
        if (entries.has(e.id)) this.logger.warn({ code: 'DOCUMENT_DUPLICATE', id: e.id }, 'duplicate document id ignored');
        else entries.set(e.id, e);
      }
    } catch (error) {
      this.logger.error({ code: 'DOCUMENT_CATALOGUE_INVALID', file: this.file, err: error }, 'document catalogue unreadable');
    }
    this.entries = entries;
  }

  private async all(): Promise<Map<string, z.infer<typeof CatalogueEntry>>> {
    if (!this.entries) await this.reload();
    return this.entries as Map<string, z.infer<typeof CatalogueEntry>>;
  }

  async listDocuments(organisation?: string): Promise<DocumentSummary[]> {
    return [...(await this.all()).values()]
      .filter((e) => organisation === undefined || e.organisation === organisation)
      .map((e) => ({
        id: e.id,
        organisation: e.organisation,
        kind: e.kind,
        title: e.title,
        titleEn: e.titleEn ?? null,
        description: e.description,
        descriptionEn: e.descriptionEn ?? null,
      }));
  }

  async getDocument(id: string): Promise<DocumentSummary> {
    const found = (await this.listDocuments()).find((d) => d.id === id);
    if (!found) throw new ExpectedError('NOT_FOUND', `Document ${id} introuvable.`);
    return found;
  }

  async documentBytes(id: string): Promise<Uint8Array> {
    const entry = (await this.all()).get(id);
    if (!entry) throw new ExpectedError('NOT_FOUND', `Document ${id} introuvable.`);
    const dir = dirname(resolve(this.file));
    const path = resolve(dir, entry.file);
    // Files may sit beside the catalogue or elsewhere under assets/ (blank forms), never outside it.
    const fromAssets = relative(dirname(dir), path);
    if (fromAssets.startsWith('..') || isAbsolute(fromAssets)) throw new ExpectedError('NOT_FOUND', `Document ${id} hors du dossier des documents.`);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      this.logger.error({ code: 'DOCUMENT_FILE_MISSING', id, err: error }, 'document file missing');
      throw new ExpectedError('NOT_FOUND', `Le fichier du document ${id} est absent.`);
    }
  }
}
