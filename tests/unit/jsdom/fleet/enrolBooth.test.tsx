// « Ajouter une borne » in the « Bornes » view: the code shown as text with the hub's address, its end of validity in
// French and the QR code's text alternative; a refused creation said in French; a waiting booth's new code.
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnrolBooth } from '../../../../renderer/coordinator/booths/EnrolBooth.js';
import { initCoordinatorI18n } from '../../../../renderer/coordinator/i18n.js';

const EXPIRES = Date.parse('2026-12-07T13:05:00Z');
const created = (code: string) => ({
  boothId: 7,
  name: 'Relais de Murat',
  commune: 'Murat',
  code,
  expiresAt: EXPIRES,
  hubAddress: 'https://relais.cantal.fr',
  qrSvgDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
});
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let requests: Array<{ url: string; method: string; body: unknown }> = [];
let createStatus = 201;
beforeEach(() => {
  initCoordinatorI18n('fr');
  requests = [];
  createStatus = 201;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      requests.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (url.endsWith('/enrolments') && method === 'GET') return json(200, { pending: [{ boothId: 7, name: 'Relais de Murat', commune: 'Murat', expiresAt: Date.now() - 1 }] });
      if (url.endsWith('/enrolments/7/renew')) return json(200, created('WXYZ-2345'));
      return createStatus === 201 ? json(201, created('ABCD-EFGH')) : json(createStatus, { error: 'INVALID_INPUT' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('adding a booth', () => {
  it('shows the code, the hub’s address, until when, and the QR code with its text alternative', async () => {
    const onCreated = vi.fn();
    render(<EnrolBooth onCreated={onCreated} onSignedOut={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Nom du site'), { target: { value: 'Relais de Murat' } });
    fireEvent.change(screen.getByLabelText('Commune'), { target: { value: 'Murat' } });
    fireEvent.click(screen.getByRole('button', { name: 'Créer la borne et son code' }));
    expect((await screen.findByTestId('enrolment-code')).textContent).toBe('ABCD-EFGH');
    expect(screen.getByTestId('enrolment-hub').textContent).toBe('https://relais.cantal.fr');
    expect(screen.getByTestId('enrolment').textContent).toContain('Valable une seule fois, jusqu’au 7 décembre 2026 à 14:05.');
    expect(screen.getByRole('img', { name: 'QR code contenant l’adresse du hub https://relais.cantal.fr et le code ABCD-EFGH' })).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'Relais de Murat', commune: 'Murat' });
    expect(onCreated).toHaveBeenCalled();
  });

  it('says in French when the booth could not be created, and gives a waiting booth a new code', async () => {
    createStatus = 400;
    render(<EnrolBooth onCreated={() => undefined} onSignedOut={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Nom du site'), { target: { value: 'X' } });
    fireEvent.change(screen.getByLabelText('Commune'), { target: { value: 'Y' } });
    fireEvent.click(screen.getByRole('button', { name: 'Créer la borne et son code' }));
    expect((await screen.findByRole('alert')).textContent).toBe('La borne n’a pas pu être créée. Vérifiez le nom et la commune, puis réessayez.');
    expect(screen.getByText(/Relais de Murat \(Murat\) — code expiré/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Nouveau code pour « Relais de Murat »' }));
    expect((await screen.findByTestId('enrolment-code')).textContent).toBe('WXYZ-2345');
  });
});
