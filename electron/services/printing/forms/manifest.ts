// The manifest beside each fillable PDF in assets/forms/: who the form is for, its titles and the French labels of its fields.
import { z } from 'zod';
import { OrganisationCode } from '../../../../shared/domain.js';

export const FormFieldManifest = z
  .object({
    label: z.string().min(1).max(200),
    labelEn: z.string().min(1).max(200).optional(),
    /** Only `date` is meaningful: a text field of the PDF that takes a date (typed jj/mm/aaaa; printed JJ/MM/AAAA, or in the comb's cells). */
    kind: z.literal('date').optional(),
    required: z.boolean().optional(),
    help: z.string().max(300).optional(),
    helpEn: z.string().max(300).optional(),
    /** Choices: the text to show for a value of the PDF, when the PDF's own labels are codes (« 1 », « Choix1 »). */
    options: z.record(z.string(), z.string().min(1).max(200)).optional(),
    optionsEn: z.record(z.string(), z.string().min(1).max(200)).optional(),
  })
  .strict();

export const FormManifest = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'form id: lowercase letters, digits and dashes'),
    organisation: OrganisationCode,
    title: z.string().min(1).max(200),
    titleEn: z.string().min(1).max(200).optional(),
    description: z.string().max(1000),
    descriptionEn: z.string().max(1000).optional(),
    /** The PDF's file name, in the same folder. */
    file: z.string().regex(/^[^/\\]+\.pdf$/i, 'a PDF file name in the same folder'),
    /** Keyed by the PDF field's full name; the order here is the order on screen. Fields absent here come after. */
    fields: z.record(z.string(), FormFieldManifest),
  })
  .strict();
export type FormManifest = z.infer<typeof FormManifest>;
