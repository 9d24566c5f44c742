// Visio-accueil on a hub across machines, in Chromium: three hub nodes over Redis and PostgreSQL behind HAProxy, the
// real kiosk web shell signed in through HAProxy, the agents' console served by another node. `kill -9` of the booth's
// node mid-call: the video goes on (peer to peer), the kiosk says its link to the call service is interrupted, signs in
// again through HAProxy and resumes the call; past the time a dead node's calls would end, the agent hangs up, the booth
// is told, and the visit is counted once (the kiosk's weekly grid and the hub's call records). Then appointments
// through the nodes: a planner's slot in PostgreSQL, booked from the kiosk's mediator view through HAProxy, and the
// agent, signed in on another node, told at once.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { HUB_CLUSTER_NODE_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { createAppointmentService } from '../../server/appointments/service.js';
import { hashPassword } from '../../server/auth.js';
import { DEFAULT_CLUSTER_TIMING } from '../../server/cluster/node.js';
import { openPostgresStore, openPostgresStores } from '../../server/sharedStore/postgres.js';
import type { SharedHubStore } from '../../server/sharedStore/types.js';
import { ALWAYS_OPEN } from '../../server/store.js';
import { parisParts } from '../../shared/time.js';
import { freeLoopbackPort, startChild, stopChild, type StartedChild } from '../support/childServer.js';
import { startHaproxy, type RunningHaproxy } from '../support/haproxy.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';
import { startRedis, type RunningRedis } from '../support/redis.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from './playwright.config.js';
import { expectAccessible } from './support/axe.js';
import { AGENT, SITE_NAME } from './support/hub.js';
import { startKiosk } from './support/kiosk.js';
import { BLUE, RED, mediaArgs, writeY4m } from './support/media.js';
import { agentSignsInAt, connectCall, expectRemoteColour, expectVisioVisitsInGrid, leaveEndedCall } from './support/visioFlow.js';
import { RENDERER, VISIO_CLOCK, createVisioStage, requireRenderer } from './support/visioStage.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

interface NodeProcess {
  url: string;
  httpUrl: string;
  proc: StartedChild;
  alive: boolean;
}

let tmp: string;
let boothBrowser: Browser;
let agentBrowser: Browser;
let pgServer: RunningPostgres;
let redis: RunningRedis;
let haproxy: RunningHaproxy;
let store: SharedHubStore;
let boothToken: string;
const nodes: NodeProcess[] = [];
const stage = createVisioStage();

/** Every text shown in a `role="status"` region of the page since it loaded (a message may last under a second). */
const STATUS_LOG = `(() => {
  const seen = (window.__statusTexts = []);
  const note = () => {
    for (const el of document.querySelectorAll('[role="status"]')) {
      const t = (el.textContent || '').trim();
      if (t && seen[seen.length - 1] !== t) seen.push(t);
    }
  };
  new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

test.beforeAll(async () => {
  requireRenderer();
  tmp = mkdtempSync(join(tmpdir(), 'relais-visio-nodes-'));
  writeY4m(join(tmp, 'booth.y4m'), RED);
  writeY4m(join(tmp, 'agent.y4m'), BLUE);
  const launch = (y4m: string) =>
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, y4m))], env: CHROMIUM_ENV });
  const bundle = await buildHub();
  [boothBrowser, agentBrowser, pgServer, redis] = await Promise.all([launch('booth.y4m'), launch('agent.y4m'), startPostgres(), startRedis()]);
  store = await openPostgresStore(pgServer.url);
  await store.seedOrganisations(ALWAYS_OPEN);
  boothToken = (await store.addBooth(SITE_NAME, Date.now())).token;
  await store.addAgent({ organisation: AGENT.organisation, login: AGENT.login, displayName: 'Claire Martin (CAF)', passwordHash: await hashPassword(AGENT.password) }, Date.now());
  for (let i = 0; i < 3; i++) {
    const port = await freeLoopbackPort();
    const proc = await startChild(
      process.execPath,
      [...HUB_CLUSTER_NODE_FLAGS, bundle, '--redis', redis.url, '--postgres', pgServer.url, '--node-id', `e2e${i}`, '--port', String(port), '--host', '127.0.0.1', '--static-dir', RENDERER],
      { ready: (out) => out.includes('prêt'), timeoutMs: 30_000, cwd: path.resolve('.') },
    );
    nodes.push({ url: `ws://127.0.0.1:${port}/hub`, httpUrl: `http://127.0.0.1:${port}`, proc, alive: true });
  }
  haproxy = await startHaproxy(nodes.map((n) => ({ host: '127.0.0.1', port: Number(new URL(n.httpUrl).port) })));
});

test.afterAll(async () => {
  await stage.stop();
  await Promise.all([boothBrowser?.close(), agentBrowser?.close()]);
  await haproxy?.stop();
  for (const n of nodes) if (n.alive) await stopChild(n.proc.child);
  await store?.close();
  await redis?.stop();
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function socketsOn(n: NodeProcess): Promise<number> {
  const r = await fetch(`${n.httpUrl}/healthz`);
  return ((await r.json()) as { sockets: number }).sockets;
}

/** The remote video's frames decoded so far: it grows while the media flows. */
const framesDecoded = (page: Page): Promise<number> =>
  page.evaluate(() => (document.querySelector('video[data-role="remote"]') as HTMLVideoElement | null)?.getVideoPlaybackQuality().totalVideoFrames ?? 0);

test('kill -9 of the booth’s node mid-call: the video goes on, the kiosk resumes the call through HAProxy, the agent hangs up later, the visit counted once', async () => {
  const kiosk = await startKiosk({ clockStart: VISIO_CLOCK, env: { RELAIS_HUB_URL: `${haproxy.url}/hub`, RELAIS_HUB_TOKEN: boothToken } });
  try {
    const booth = await stage.newPage(boothBrowser, { clock: true, initScripts: [STATUS_LOG] });
    const agent = await stage.newPage(agentBrowser);
    await booth.goto(await kiosk.launchUrl());
    await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
    // The kiosk signs in through HAProxy at start: the node holding its socket is the one to kill; the agent goes elsewhere.
    let boothNode: NodeProcess | undefined;
    await expect
      .poll(async () => {
        const counts = await Promise.all(nodes.map(socketsOn));
        boothNode = nodes[counts.indexOf(1)];
        return counts.reduce((a, b) => a + b, 0) === 1 && boothNode !== undefined;
      }, { message: 'the kiosk signed in on one node', timeout: 15_000 })
      .toBe(true);
    const agentNode = nodes.find((n) => n !== boothNode)!;
    await agentSignsInAt(agent, agentNode.httpUrl);

    await connectCall(booth, agent);
    await expectRemoteColour(booth, BLUE, 'the booth');
    await expectRemoteColour(agent, RED, 'the agent');

    const killedAt = Date.now();
    boothNode!.alive = false;
    process.kill(boothNode!.proc.pid, 'SIGKILL');
    const before = await framesDecoded(booth);
    // The kiosk said so, signed in again through HAProxy, and the call went on: the message is gone, the call still on.
    await expect
      .poll(() => booth.evaluate(() => (window as unknown as { __statusTexts: string[] }).__statusTexts.some((t) => t.includes('Reconnexion au service d’appel'))), {
        message: 'the kiosk says its link to the call service is interrupted',
        timeout: 15_000,
      })
      .toBe(true);
    await expect(booth.getByRole('status').filter({ hasText: 'Reconnexion au service d’appel' })).toHaveCount(0, { timeout: 15_000 });
    await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
    await expect(booth.getByRole('button', { name: 'Raccrocher' })).toBeVisible();
    // The media never went through the hub: frames kept coming, each side still sees the other.
    await expect.poll(() => framesDecoded(booth), { message: 'video frames keep arriving at the booth', timeout: 10_000 }).toBeGreaterThan(before + 30);
    await expectRemoteColour(booth, BLUE, 'the booth');
    await expectRemoteColour(agent, RED, 'the agent');
    // Past the dead node's time and the grace a call with nobody back would end in: this one is on.
    const { deadAfterMs, resumeGraceMs } = DEFAULT_CLUSTER_TIMING;
    const waitMs = killedAt + deadAfterMs + resumeGraceMs + 2_000 - Date.now();
    if (waitMs > 0) await booth.waitForTimeout(waitMs);
    await expect(booth.locator('main[data-phase="connected"]')).toBeVisible();
    await expect(agent.getByTestId('agent-call')).toBeVisible();

    await agent.getByRole('button', { name: 'Raccrocher' }).click();
    await expect(booth.getByTestId('end-reason')).toHaveText('Le conseiller a terminé l’appel.');
    await leaveEndedCall(booth, 'skip');
    await expectVisioVisitsInGrid(booth, 1);
    await expect.poll(async () => (await store.calls()).filter((r) => r.outcome === 'answered').map((r) => r.reason), { timeout: 10_000 }).toEqual(['hangup_agent']);
  } finally {
    await kiosk.stop();
  }
});

test('appointments through the nodes: booked from the kiosk’s mediator view through HAProxy, the agent on another node told at once', async () => {
  // Tomorrow at 10:00 in Paris, one place, held by the agent: published as a planner's would be, in PostgreSQL.
  const stores = await openPostgresStores(pgServer.url, { poolSize: 2 });
  try {
    const [agentId] = (await stores.appointments.agentIdsByLogin(AGENT.organisation, [AGENT.login])) ?? [];
    const tomorrow = parisParts(Date.now() + 24 * 3600_000);
    const day = `${tomorrow.year}-${String(tomorrow.month).padStart(2, '0')}-${String(tomorrow.day).padStart(2, '0')}`;
    const service = createAppointmentService({ store: stores.appointments, clock: Date.now, newId: randomUUID });
    expect(await service.publish(AGENT.organisation, agentId!, { start: `${day}T10:00`, lengthMin: 30, capacity: 1, agents: [AGENT.login], onHolidays: true })).toMatchObject({ ok: true, slots: 1 });
  } finally {
    await stores.close();
  }
  const alive = nodes.filter((n) => n.alive);
  const agentNode = alive[0]!;
  const agent = await stage.newPage(agentBrowser);
  await agentSignsInAt(agent, agentNode.httpUrl);
  await agent.getByRole('button', { name: 'Rendez-vous', exact: true }).click();
  const kiosk = await startKiosk({ env: { RELAIS_HUB_URL: `${haproxy.url}/hub`, RELAIS_HUB_TOKEN: boothToken } });
  try {
    const booth = await stage.newPage(boothBrowser);
    await booth.goto(await kiosk.launchUrl());
    await expect(booth.getByRole('heading', { level: 1, name: 'Bienvenue' })).toBeVisible();
    // HAProxy (leastconn) put the kiosk on the node the agent is not on.
    await expect
      .poll(async () => Promise.all(alive.map(socketsOn)), { message: 'the agent and the kiosk on two nodes', timeout: 15_000 })
      .toEqual(alive.map(() => 1));
    await booth.getByRole('button', { name: 'Mode médiateur' }).click();
    await booth.getByLabel('Code PIN', { exact: true }).fill('1234');
    await booth.getByRole('button', { name: 'Valider' }).click();
    await booth.getByRole('button', { name: 'Rendez-vous', exact: true }).click();
    // Offered only when the hub takes appointments (a node without them says so at hello: no such list).
    const take = booth.getByRole('list', { name: 'Prendre rendez-vous pour un visiteur avec :' }).getByRole('button', { name: 'Caisse d\'allocations familiales' });
    await expect(take).toBeVisible();
    await expectAccessible(booth, 'mediator appointments on a hub across machines');
    await take.click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Pour quoi voulez-vous un rendez-vous ?' })).toBeVisible();
    await booth.locator('.choice[data-subject]').first().click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Quel jour ?' })).toBeVisible();
    await booth.locator('.choice[data-day]').first().click();
    await booth.locator('.choice[data-starts-at]').first().click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Vérifiez votre rendez-vous' })).toBeVisible();
    await booth.getByRole('button', { name: 'Confirmer le rendez-vous' }).click();
    await expect(booth.getByRole('heading', { level: 1, name: 'Votre rendez-vous est pris' })).toBeVisible();
    await expect(agent.getByRole('status').filter({ hasText: `Nouveau rendez-vous` })).toContainText(SITE_NAME);
  } finally {
    await kiosk.stop();
  }
});
