// Encrypted forms: one with an owner password only opens without a password, so it is offered and filled (qpdf
// removes the encryption in memory); one that needs a password to open, or whose author forbade filling it, stays
// refused with the `encrypted` reason; hostile files and a machine without qpdf refuse, never throw.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qpdfDecrypt } from '../../../../../electron/services/printing/forms/decrypt.js';
import { FormsService } from '../../../../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../../../../electron/services/logger.js';

const execFile = promisify(execFileCb);
const work = mkdtempSync(join(tmpdir(), 'relais-encrypted-forms-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const plain = join(work, 'plain.pdf');

/** Encrypts `plain.pdf` with qpdf as `name`: `user` empty means no password to open it. */
async function encrypted(name: string, user: string, extra: string[] = []): Promise<string> {
  const out = join(work, name);
  await execFile('qpdf', ['--encrypt', user, 'proprietaire', '128', '--use-aes=y', ...extra, '--', plain, out]);
  return out;
}

/** A forms folder holding the given PDFs, each with a minimal manifest (ids: the file names without `.pdf`). */
function site(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(work, 'site-'));
  for (const [id, from] of Object.entries(files)) {
    writeFileSync(join(dir, `${id}.pdf`), typeof from === 'string' ? readFileSync(from) : from);
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, organisation: 'CAF', title: id, description: '', file: `${id}.pdf`, fields: {} }));
  }
  return dir;
}

beforeAll(async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const form = doc.getForm();
  form.createTextField('nom').addToPage(page, { x: 50, y: 700, width: 300, height: 24 });
  form.createCheckBox('accord').addToPage(page, { x: 50, y: 650, width: 14, height: 14 });
  page.drawText('Formulaire chiffré', { x: 50, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  writeFileSync(plain, await doc.save());
});

describe('encrypted forms', () => {
  it('offers and fills a form encrypted with an owner password only, and refuses one that needs a password to open', async () => {
    const dir = site({ 'owner-only': await encrypted('owner-only.pdf', ''), 'user-password': await encrypted('user-password.pdf', 'secret') });
    const svc = new FormsService({ dir, logger: silentLogger() });
    expect((await svc.listForms()).map((f) => f.id)).toEqual(['owner-only']);
    expect(await svc.refusedForms()).toEqual([{ file: 'user-password.pdf', reason: 'encrypted' }]);
    const d = await svc.describeForm('owner-only');
    const nom = d.fields.find((f) => f.name === 'nom');
    const accord = d.fields.find((f) => f.name === 'accord');
    expect(nom && accord).toBeTruthy();
    const pdf = await svc.fillForm('owner-only', { [nom?.id ?? '']: 'Dupré Hélène', [accord?.id ?? '']: true });
    const out = join(work, 'filled.pdf');
    writeFileSync(out, pdf);
    const { stdout } = await execFile('pdftotext', [out, '-']);
    expect(stdout).toContain('Dupré Hélène');
    expect(stdout).toContain('Formulaire chiffré');
    // What is printed carries no encryption: CUPS's filters and any reader take it as is.
    await expect(execFile('qpdf', ['--requires-password', out])).rejects.toMatchObject({ code: 2 });
  });

  it('keeps refusing an owner-password form whose author forbade filling it', async () => {
    const dir = site({ 'no-filling': await encrypted('no-filling.pdf', '', ['--form=n', '--modify-other=n', '--annotate=n']) });
    const svc = new FormsService({ dir, logger: silentLogger() });
    expect(await svc.listForms()).toEqual([]);
    expect(await svc.refusedForms()).toEqual([{ file: 'no-filling.pdf', reason: 'encrypted' }]);
  });

  it('refuses an encrypted form, without throwing, where qpdf is missing', async () => {
    const dir = site({ 'owner-only': await encrypted('owner-only-2.pdf', '') });
    const svc = new FormsService({ dir, logger: silentLogger(), decrypt: qpdfDecrypt({ qpdf: join(work, 'no-such-qpdf') }) });
    expect(await svc.listForms()).toEqual([]);
    expect(await svc.refusedForms()).toEqual([{ file: 'owner-only.pdf', reason: 'encrypted' }]);
  });

  it('says why it cannot decrypt hostile files: not a PDF, cut short, a relative path, a user password', async () => {
    const decrypt = qpdfDecrypt();
    const junk = join(work, 'junk.pdf');
    writeFileSync(junk, '%PDF-1.7\n/Encrypt << /Filter /Standard /V 99 >>\n'.repeat(50));
    const owner = readFileSync(await encrypted('cut.pdf', ''));
    const cut = join(work, 'cut-short.pdf');
    writeFileSync(cut, owner.subarray(0, Math.floor(owner.length / 2)));
    expect(await decrypt(junk)).toMatchObject({ ok: false });
    expect(await decrypt(cut)).toMatchObject({ ok: false });
    expect(await decrypt('-')).toEqual({ ok: false, why: 'failed' });
    expect(await decrypt('owner-only.pdf')).toEqual({ ok: false, why: 'failed' });
    expect(await decrypt(await encrypted('user-2.pdf', 'secret'))).toEqual({ ok: false, why: 'needs-password' });
    expect(await qpdfDecrypt({ timeoutMs: 1 })(join(work, 'owner-only.pdf'))).toMatchObject({ ok: false });
  });
});
