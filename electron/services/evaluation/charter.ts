// The simplified quality charter shown on the visitor home's idle screen: loaded from assets/charter/, checked with zod.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const Bilingual = z.object({ fr: z.string().min(1), en: z.string().min(1) }).strict();

export const Charter = z
  .object({
    title: Bilingual,
    intro: Bilingual,
    commitments: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), title: Bilingual, text: Bilingual }).strict()).min(6).max(8),
  })
  .strict();
export type Charter = z.infer<typeof Charter>;

/** The charter file of the source tree; a packaged app passes its resources path instead. */
export const DEFAULT_CHARTER_FILE = fileURLToPath(new URL('../../../assets/charter/charte-qualite.json', import.meta.url));

/** Reads and validates the charter; throws on a missing or malformed file (a packaging bug, not a visitor's problem). */
export function loadCharter(file: string = DEFAULT_CHARTER_FILE): Charter {
  return Charter.parse(JSON.parse(readFileSync(file, 'utf8')));
}
