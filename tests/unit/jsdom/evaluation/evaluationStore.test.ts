// The evaluation store against a fake bridge: which verb each action calls with what, the charter read once per bridge,
// and the evaluation events passed on to the screens.
import { describe, expect, it, vi } from 'vitest';
import type { CharterValue } from '../../../../shared/contract/index.js';
import { createEvaluationStore } from '../../../../renderer/kiosk/evaluation/evaluationStore.js';
import { fakeBridge, type FakeAnswers } from '../fakeBridge.js';

const ok = (value: unknown) => () => ({ ok: true as const, value });
const charter = { title: 'Charte', sections: [] } as unknown as CharterValue;

function withBridge(answers: FakeAnswers) {
  const fake = fakeBridge(answers);
  return { fake, store: createEvaluationStore(fake.api).getState() };
}

describe('evaluation store', () => {
  it('asks for incidents open only or all, and opens and resolves one with what the mediator typed', async () => {
    const { fake, store } = withBridge({ 'incidents.list': ok([]), 'incidents.open': ok({ id: 3 }), 'incidents.resolve': ok({ id: 3 }) });
    await store.incidents('open');
    await store.incidents('all');
    await store.openIncident({ category: 'equipment', organisation: null, what: 'Écran noir' });
    await store.resolveIncident({ id: 3, action: 'Redémarré' });
    expect(fake.calls).toEqual([
      { verb: 'incidents.list', input: { status: 'open' } },
      { verb: 'incidents.list', input: {} },
      { verb: 'incidents.open', input: { category: 'equipment', organisation: null, what: 'Écran noir' } },
      { verb: 'incidents.resolve', input: { id: 3, action: 'Redémarré' } },
    ]);
  });

  it('loads this month’s audit with its history, and the settings with the state of the weekly sending, together', async () => {
    const due = { due: true, month: '2026-11' };
    const settings = { surveyMode: 'always', siteStartedAt: 0, retentionMonths: 24 };
    const sync = { pending: 1, sent: 0, nextAttemptAt: null, lastError: null, configured: true };
    const { store } = withBridge({ 'audit.due': ok(due), 'audit.history': ok([]), 'evaluation.settings': ok(settings), 'sync.status': ok(sync) });
    await expect(store.auditOverview()).resolves.toEqual({ due, history: [] });
    await expect(store.settingsAndSync()).resolves.toEqual({ settings, sync });
  });

  it('rejects with the verb’s error, so the screen can show it', async () => {
    const { store } = withBridge({ 'reports.month': () => ({ ok: false, error: { code: 'NOT_UNLOCKED', message: 'Déverrouillez' } }) });
    await expect(store.monthReport('2026-11')).rejects.toMatchObject({ code: 'NOT_UNLOCKED' });
  });

  it('reads the charter once per bridge, and reads it again after a failure', async () => {
    let fails = true;
    const read = vi.fn(() => (fails ? { ok: false as const, error: { code: 'INTERNAL' as const, message: 'illisible' } } : { ok: true as const, value: charter }));
    const { store } = withBridge({ 'charter.get': read });
    expect(store.readCharter()).toBeUndefined();
    await expect(store.loadCharter()).rejects.toMatchObject({ code: 'INTERNAL' });
    fails = false;
    await expect(store.loadCharter()).resolves.toBe(charter);
    await expect(store.loadCharter()).resolves.toBe(charter);
    expect(store.readCharter()).toBe(charter);
    expect(read).toHaveBeenCalledTimes(2);

    // Another bridge (another page, another test) reads its own.
    const other = withBridge({ 'charter.get': ok(charter) });
    expect(other.store.readCharter()).toBeUndefined();
  });

  it('passes the audit and incident events on until the screen stops listening', () => {
    const { fake, store } = withBridge({});
    const audit = vi.fn();
    const incidents = vi.fn();
    const stopAudit = store.onAuditChanged(audit);
    const stopIncidents = store.onIncidentsChanged(incidents);
    fake.emit('audit.changed', { due: false });
    fake.emit('incidents.changed', { open: 2 });
    stopAudit();
    stopIncidents();
    fake.emit('audit.changed', { due: true });
    fake.emit('incidents.changed', { open: 3 });
    expect(audit.mock.calls).toEqual([[{ due: false }]]);
    expect(incidents).toHaveBeenCalledTimes(1);
  });

  it('records the survey’s answers with the organisation and the type of service only', async () => {
    const { fake, store } = withBridge({ 'survey.record': ok({ stored: true }), 'survey.offer': ok({ offer: false, questions: [], scale: [] }) });
    await store.surveyOffer('visio');
    await store.recordSurvey({ organisation: 'CAF', service: 'visio', answers: { welcome: 5 } });
    expect(fake.calls).toEqual([
      { verb: 'survey.offer', input: { service: 'visio' } },
      { verb: 'survey.record', input: { organisation: 'CAF', service: 'visio', answers: { welcome: 5 } } },
    ]);
  });
});
