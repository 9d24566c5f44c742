// `npm run bench:call`: the visitor's tap to the first remote frame on each side, over N calls through the real booth
// call screen, hub and agents' console, beside a bare RTCPeerConnection pair with a minimal ws relay in the same run;
// then what the automatic step-down does on a lossy link (a UDP proxy dropping TURN media packets in front of coturn).
// The tap is a click on the organisation's call button of the booth page (its hub connection opened at page load, as the
// kiosk's does at start-up; the camera opens only after the tap); the agent is signed in and available, so the console
// holds its camera ready (nothing sent); the booth prepares its offer while it waits and sends it when the agent accepts.
// The baseline opens the camera and its socket at the tap (booth) and the camera at the call (agent). Both sides are
// marked step by step (WebSocket frames, getUserMedia, RTCPeerConnection states) by an init script: the median per step
// is printed after the totals, with how long each page's main thread was stalled (a 4 ms timer in every page, ours and
// the baseline's alike). CALLS=N calls (20 by default); STEPDOWN=0 skips the lossy link; DIAG=1 prints more; TRACE=1
// records Chromium traces of one extra call of each.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../e2e/playwright.config.js';
import { startCoturn } from '../e2e/support/coturn.js';
import { AGENT, buildVisioPages, serveDir, startTestHub, type TestHub } from '../e2e/support/hub.js';
import { BLUE, RED, loopbackIceScript, mediaArgs, writeY4m } from '../e2e/support/media.js';
import { BARE_CALL_HTML, startBareRelay } from './support/bareCall.js';

const CALLS = Number(process.env.CALLS ?? 20);
/** DIAG=1 adds the raw getStats figures (inbound loss, jitter, RTT) to the step-down timeline. */
const DIAG = process.env.DIAG === '1';
/**
 * TRACE=1 records Chromium traces of one extra call of each (not counted), both browsers, with the step marks as user
 * timings: <tmpdir>/relais-call-trace-{ours,bare}.json (booth) and …-{ours,bare}-agent.json (agent).
 */
const TRACE = process.env.TRACE === '1';
// STEPDOWN=0 skips the lossy-link part (quick iterations on the call set-up figures).

/** Records, in every page, the epoch ms of the first frame presented by each remote <video> (requestVideoFrameCallback). */
const FIRST_FRAME_SCRIPT = `(() => {
  window.__firstFrames = [];
  const seen = new WeakSet();
  setInterval(() => {
    for (const v of document.querySelectorAll('video[data-role="remote"], video#remote')) {
      if (seen.has(v) || !v.srcObject) continue;
      seen.add(v);
      v.requestVideoFrameCallback((now) => window.__firstFrames.push(performance.timeOrigin + now));
    }
  }, 5);
})();`;

/**
 * Marks the steps of a call in every page without touching the code under test: the first time (epoch ms) each frame kind
 * is sent (`tx:`) or received (`rx:`) on a WebSocket, getUserMedia's start and end, and the RTCPeerConnection's states.
 * Our hub frames and the baseline's relay messages map to the same names (call, ring, accept, accepted, offer, answer).
 */
const STEP_MARKS_SCRIPT = `(() => {
  const TRACE = ${JSON.stringify(TRACE)};
  const now = () => performance.timeOrigin + performance.now();
  window.__marks = {};
  const mark = (name) => { if (!(name in window.__marks)) { window.__marks[name] = now(); if (TRACE) performance.mark(name); } };
  const kindOf = (m, dir, role) => {
    if (!m || typeof m !== 'object') return null;
    if (m.type === 'auth.booth' || m.type === 'auth.agent' || m.type === 'auth.session') return 'auth';
    if (m.type === 'auth.ok') return 'auth.ok';
    if (m.type === 'call.request' || (m.call && role === 'booth')) return 'call';
    if (m.type === 'call.ringing' || (m.call && role === 'agent')) return 'ring';
    if (m.type === 'call.accept' || (m.accept && dir === 'tx')) return 'accept';
    if (m.type === 'call.accepted' || (m.accept && dir === 'rx')) return 'accepted';
    const d = m.type === 'signal' ? m.data : m;
    const t = d && (d.type || (d.sdp && d.sdp.type));
    if (t === 'offer' || t === 'answer') return t;
    if (d && d.candidate) return 'candidate';
    return null;
  };
  const role = () => (new URLSearchParams(location.search).get('role') || (location.pathname.includes('visio-booth') ? 'booth' : 'agent'));
  const record = (dir, raw) => { try { const k = kindOf(JSON.parse(raw), dir, role()); if (k) mark(dir + ':' + k); } catch {} };
  const NativeWs = window.WebSocket;
  window.WebSocket = class extends NativeWs {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => mark('ws.open'));
      this.addEventListener('message', (ev) => record('rx', ev.data));
    }
    send(data) { record('tx', data); return super.send(data); }
  };
  const md = navigator.mediaDevices;
  if (md) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = (c) => { mark('gum.start'); return gum(c).then((s) => { mark('gum.end'); return s; }); };
  }
  const NativePc = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePc {
    constructor(...args) {
      super(...args);
      mark('pc.new');
      this.addEventListener('icegatheringstatechange', () => { if (this.iceGatheringState === 'complete') mark('pc.gathered'); });
      this.addEventListener('iceconnectionstatechange', () => { if (this.iceConnectionState === 'connected') mark('pc.ice'); });
      this.addEventListener('connectionstatechange', () => { if (this.connectionState === 'connected') mark('pc.connected'); });
      this.addEventListener('track', () => mark('pc.track'));
      this.addEventListener('icecandidate', (e) => { if (e.candidate) mark('pc.candidate'); });
      this.addEventListener('signalingstatechange', () => { if (this.signalingState === 'stable' && this.remoteDescription) mark('pc.stable'); });
    }
  };
  // Main-thread stalls: a 4 ms timer that fires late means the page's main thread was busy (or starved of CPU) meanwhile.
  window.__stalls = [];
  let last = now();
  setInterval(() => { const t = now(); if (t - last > 20) window.__stalls.push([last, t]); last = t; }, 4);
})();`;

/** The agent answers as soon as a call rings, from inside the page (Playwright clicks lag behind a busy page). */
const AUTO_ACCEPT_SCRIPT = `setInterval(() => {
  const b = [...document.querySelectorAll('.agent__ringing button')].find((x) => x.textContent.includes('Décrocher') && !x.disabled);
  if (b) b.click();
}, 5);`;



/** A UDP proxy in front of coturn dropping `loss` of the TURN media packets (ChannelData, Send/Data indications) both ways. */
async function startLossyProxy(turnPort: number): Promise<{ port: number; setLoss(l: number): void; dropped(): number; close(): void }> {
  let loss = 0;
  let dropped = 0;
  const front = createSocket('udp4');
  const upstreams = new Map<string, Socket>();
  const isMedia = (m: Buffer) => (m[0]! & 0xc0) === 0x40 || (m.length >= 2 && (m.readUInt16BE(0) === 0x0016 || m.readUInt16BE(0) === 0x0017));
  const drop = (m: Buffer) => {
    if (loss > 0 && isMedia(m) && Math.random() < loss) {
      dropped++;
      return true;
    }
    return false;
  };
  front.on('message', (msg, rinfo: RemoteInfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1');
      socket.on('message', (back) => {
        if (!drop(back)) front.send(back, rinfo.port, rinfo.address);
      });
      upstreams.set(key, socket);
      up = socket;
    }
    if (!drop(msg)) up.send(msg, turnPort, '127.0.0.1');
  });
  await new Promise<void>((r) => front.bind(0, '127.0.0.1', r));
  return {
    port: front.address().port,
    setLoss: (l) => (loss = l),
    dropped: () => dropped,
    close: () => {
      front.close();
      for (const s of upstreams.values()) s.close();
    },
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function waitFor(page: Page, fn: () => number | undefined, what: string, timeoutMs = 20_000): Promise<number> {
  const handle = await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 20 }).catch(() => {
    throw new Error(`timed out waiting for ${what}`);
  });
  return Number(await handle.jsonValue());
}

interface Sample {
  booth: number;
  agent: number;
  /** Step name (`B:` booth page, `A:` agent page) → ms since the tap. */
  steps: Record<string, number>;
}

type Marks = Record<string, number>;
/** [start, end] epoch ms of each main-thread stall seen by the page (a 4 ms timer more than 20 ms late). */
type Stalls = Array<[number, number]>;
interface PageMarks {
  marks: Marks;
  stalls: Stalls;
}
const readMarks = (page: Page): Promise<PageMarks> =>
  page.evaluate(() => {
    const w = window as unknown as { __marks: Marks; __stalls: Stalls };
    return { marks: w.__marks, stalls: w.__stalls };
  });
const resetMarks = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const w = window as unknown as { __marks: Marks; __stalls: Stalls };
    w.__marks = {};
    w.__stalls = [];
  });
/** Milliseconds of main-thread stall between two epoch instants. */
const stallWithin = (stalls: Stalls, from: number, to: number) => stalls.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
function stepsOf(tap: number, booth: PageMarks, agent: PageMarks, boothFrame: number, agentFrame: number): Record<string, number> {
  const steps: Record<string, number> = { 'B:frame': boothFrame - tap, 'A:frame': agentFrame - tap };
  for (const [k, v] of Object.entries(booth.marks)) steps[`B:${k}`] = v - tap;
  for (const [k, v] of Object.entries(agent.marks)) steps[`A:${k}`] = v - tap;
  // Durations (not instants): how long each page's main thread was stalled, over the whole call set-up and after the answer.
  steps['B~stall'] = stallWithin(booth.stalls, tap, boothFrame);
  steps['A~stall'] = stallWithin(agent.stalls, tap, agentFrame);
  const answer = booth.marks['rx:answer'];
  if (answer !== undefined) steps['B~stall.answer'] = stallWithin(booth.stalls, answer, boothFrame);
  return steps;
}

/** The steps printed in the breakdown, in call order (a step a side does not take, or takes before the tap, shows “—”). */
const STEPS: Array<[string, string]> = [
  ['B:gum.start', 'caméra et micro de la borne demandés'],
  ['B:gum.end', 'caméra et micro de la borne ouverts'],
  ['B:ws.open', 'socket de la borne ouverte'],
  ['B:tx:call', 'demande d’appel envoyée par la borne'],
  ['A:rx:ring', 'appel reçu par le conseiller'],
  ['A:gum.end', 'caméra et micro du conseiller ouverts'],
  ['A:tx:accept', 'décroché envoyé par le conseiller'],
  ['B:rx:accepted', 'acceptation reçue par la borne'],
  ['A:rx:accepted', 'acceptation reçue par le conseiller'],
  ['B:pc.new', 'RTCPeerConnection créée (borne)'],
  ['B:tx:offer', 'offre envoyée par la borne'],
  ['A:pc.new', 'RTCPeerConnection créée (conseiller)'],
  ['A:rx:offer', 'offre reçue par le conseiller'],
  ['A:tx:answer', 'réponse envoyée par le conseiller'],
  ['B:rx:answer', 'réponse reçue par la borne'],
  ['A:pc.candidate', 'premier candidat ICE trouvé (conseiller)'],
  ['A:tx:candidate', 'premier candidat envoyé par le conseiller'],
  ['B:rx:candidate', 'premier candidat reçu par la borne'],
  ['B:pc.stable', 'réponse appliquée (borne)'],
  ['A:pc.ice', 'ICE connecté (conseiller)'],
  ['B:pc.ice', 'ICE connecté (borne)'],
  ['B:pc.connected', 'DTLS connecté (borne)'],
  ['A:pc.connected', 'DTLS connecté (conseiller)'],
  ['B:pc.track', 'piste distante annoncée (borne)'],
  ['B:frame', 'première image distante (borne)'],
  ['A:frame', 'première image distante (conseiller)'],
  ['B~stall', 'fil principal bloqué, toucher → image (borne)'],
  ['B~stall.answer', 'fil principal bloqué, réponse → image (borne)'],
  ['A~stall', 'fil principal bloqué, toucher → image (conseiller)'],
];

function breakdown(ours: Sample[], bare: Sample[]): string[] {
  const cell = (xs: Sample[], key: string) => {
    const v = xs.map((x) => x.steps[key]).filter((x): x is number => x !== undefined && x >= 0);
    return v.length < xs.length / 2 ? '—'.padStart(8) : `${median(v).toFixed(0).padStart(5)} ms`;
  };
  return [
    '',
    'Étapes (médiane du temps écoulé depuis le toucher, ou de la durée pour « bloqué » ; B = page de la borne, A = page du conseiller)',
    `${''.padEnd(52)}${'Relais'.padStart(8)}   ${'témoin'.padStart(8)}`,
    ...STEPS.map(([key, label]) => `${`${key.slice(0, 1)} ${label}`.padEnd(52)}${cell(ours, key)}   ${cell(bare, key)}`),
  ];
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'relais-bench-call-'));
  writeY4m(join(tmp, 'booth.y4m'), RED);
  writeY4m(join(tmp, 'agent.y4m'), BLUE);
  process.stdout.write('Construction des pages (console des conseillers, écran d’appel de la borne)…\n');
  const pages = await buildVisioPages();
  mkdirSync(join(tmp, 'baseline'));
  writeFileSync(join(tmp, 'baseline/index.html'), BARE_CALL_HTML);
  const boothSite = await serveDir(pages.boothDir);
  const baselineSite = await serveDir(join(tmp, 'baseline'));
  const relay = await startBareRelay();
  const turn = await startCoturn();
  const proxy = await startLossyProxy(turn.port);
  let hub: TestHub | null = await startTestHub({ staticDir: pages.consoleDir });
  const launch = (y4m: string) =>
    chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(join(tmp, y4m))], env: CHROMIUM_ENV });
  const [boothBrowser, agentBrowser]: [Browser, Browser] = await Promise.all([launch('booth.y4m'), launch('agent.y4m')]);
  const newPage = async (browser: Browser, scripts: string[]): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    for (const s of scripts) await context.addInitScript(s);
    return { context, page: await context.newPage() };
  };

  try {
    const booth = await newPage(boothBrowser, [loopbackIceScript(false), STEP_MARKS_SCRIPT, FIRST_FRAME_SCRIPT]);
    const agent = await newPage(agentBrowser, [loopbackIceScript(false), STEP_MARKS_SCRIPT, FIRST_FRAME_SCRIPT, AUTO_ACCEPT_SCRIPT]);
    const baseBooth = await newPage(boothBrowser, [loopbackIceScript(false), STEP_MARKS_SCRIPT, FIRST_FRAME_SCRIPT]);
    const baseAgent = await newPage(agentBrowser, [loopbackIceScript(false), STEP_MARKS_SCRIPT, FIRST_FRAME_SCRIPT]);

    const signIn = async (h: TestHub) => {
      await agent.page.goto(h.hub.httpUrl);
      await agent.page.getByLabel('Identifiant').fill(AGENT.login);
      await agent.page.getByLabel('Mot de passe').fill(AGENT.password);
      await agent.page.getByRole('button', { name: 'Se connecter' }).click();
      await agent.page.locator('[data-hub="ready"]').waitFor();
    };
    await signIn(hub);

    const ours = async (): Promise<Sample> => {
      const h = hub!;
      const q = new URLSearchParams({ hub: h.hub.url, token: h.boothToken, org: 'CAF', autostart: '0', endedMs: '600000' });
      await booth.page.goto(`${boothSite.origin}/visio-booth.html?${q}`);
      // The kiosk's hub connection opens at start-up, long before a visitor taps (hubLink.ts): wait until it is up.
      await waitFor(booth.page, () => ((window as unknown as { __visio?: { hubReady: boolean } }).__visio?.hubReady ? 1 : undefined), 'booth hub connection');
      const agentFramesBefore = await agent.page.evaluate(() => (window as unknown as { __firstFrames: number[] }).__firstFrames.length);
      await resetMarks(agent.page);
      const tap = await booth.page.evaluate(() => {
        const w = window as unknown as { __visioTap: () => number; __marks: Marks; __phases: string[]; __visio: { store: { subscribe(fn: (s: { phase: string; remoteStream: unknown }) => void): void } } };
        w.__marks = {};
        const at = w.__visioTap();
        w.__phases = [];
        let last = '';
        w.__visio.store.subscribe((s) => {
          const key = `${s.phase}${s.remoteStream ? '+remote' : ''}`;
          if (key !== last) w.__phases.push(`${key}@${Math.round(performance.timeOrigin + performance.now() - at)}`);
          last = key;
        });
        return at;
      });
      const boothFrame = await waitFor(booth.page, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'booth first frame');
      if (DIAG) process.stdout.write(`  phases: ${(await booth.page.evaluate(() => (window as unknown as { __phases: string[] }).__phases)).join(' ')}\n`);
      const agentFrame = await agent.page.evaluate(
        (n) =>
          new Promise<number>((resolve, reject) => {
            const w = window as unknown as { __firstFrames: number[] };
            const started = Date.now();
            const t = setInterval(() => {
              if (w.__firstFrames.length > n) {
                clearInterval(t);
                resolve(w.__firstFrames[n]!);
              } else if (Date.now() - started > 20_000) {
                clearInterval(t);
                reject(new Error('timed out waiting for the agent first frame'));
              }
            }, 10);
          }),
        agentFramesBefore,
      );
      const steps = stepsOf(tap, await readMarks(booth.page), await readMarks(agent.page), boothFrame, agentFrame);
      await booth.page.evaluate(() => (window as unknown as { __visio: { store: { getState(): { hangup(): void } } } }).__visio.store.getState().hangup());
      await agent.page.locator('[data-testid="agent-ended"]').waitFor({ timeout: 20_000 });
      return { booth: boothFrame - tap, agent: agentFrame - tap, steps };
    };

    const bare = async (): Promise<Sample> => {
      await baseAgent.page.goto(`${baselineSite.origin}/index.html?role=agent&relay=${encodeURIComponent(relay.url)}`);
      await baseAgent.page.evaluate(() => (window as unknown as { __ready: Promise<void> }).__ready);
      await baseBooth.page.goto(`${baselineSite.origin}/index.html?role=booth&relay=${encodeURIComponent(relay.url)}`);
      await resetMarks(baseAgent.page);
      const tap = await baseBooth.page.evaluate(() => {
        (window as unknown as { __marks: Marks }).__marks = {};
        return (window as unknown as { __visioTap: () => number }).__visioTap();
      });
      const boothFrame = await waitFor(baseBooth.page, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'baseline booth frame');
      const agentFrame = await waitFor(baseAgent.page, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'baseline agent frame');
      const steps = stepsOf(tap, await readMarks(baseBooth.page), await readMarks(baseAgent.page), boothFrame, agentFrame);
      // The baseline call ends here, as ours is hung up after its measure: a call left running would load the next runs.
      await Promise.all([baseBooth.page.goto('about:blank'), baseAgent.page.goto('about:blank')]);
      return { booth: boothFrame - tap, agent: agentFrame - tap, steps };
    };

    // One warm-up of each (first bundle parse, first getUserMedia), then interleaved runs so drift hits both alike.
    if (CALLS > 0) {
    await ours();
    await bare();
    }
    if (TRACE) {
      const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'toplevel', 'webrtc', 'media', 'gpu', 'viz', 'cc', 'disabled-by-default-devtools.timeline.frame'];
      for (const [name, run] of [['ours', ours], ['bare', bare]] as const) {
        await boothBrowser.startTracing(undefined, { path: join(tmpdir(), `relais-call-trace-${name}.json`), categories });
        await agentBrowser.startTracing(undefined, { path: join(tmpdir(), `relais-call-trace-${name}-agent.json`), categories });
        await run();
        await boothBrowser.stopTracing();
        await agentBrowser.stopTracing();
      }
    }
    const oursSamples: Sample[] = [];
    const bareSamples: Sample[] = [];
    for (let i = 0; i < CALLS; i++) {
      oursSamples.push(await ours());
      bareSamples.push(await bare());
      process.stdout.write(`appel ${i + 1}/${CALLS} : Relais ${Math.round(oursSamples[i]!.booth)}/${Math.round(oursSamples[i]!.agent)} ms, témoin ${Math.round(bareSamples[i]!.booth)}/${Math.round(bareSamples[i]!.agent)} ms\n`);
    }

    const row = (name: string, xs: number[]) => `${name.padEnd(44)} médiane ${median(xs).toFixed(0).padStart(5)} ms   p90 ${quantile(xs, 0.9).toFixed(0).padStart(5)} ms`;
    const lines = CALLS === 0 ? [] : [
      '',
      `Charge de la machine (moyenne 1 min) : ${loadavg()[0]!.toFixed(2)} sur ${cpus().length} cœurs`,
      `Du toucher du visiteur à la première image distante (${CALLS} appels de chaque, Chromium ${boothBrowser.version()}, boucle locale)`,
      row('Relais — côté borne (image du conseiller)', oursSamples.map((s) => s.booth)),
      row('Relais — côté conseiller (image de la borne)', oursSamples.map((s) => s.agent)),
      row('Témoin RTCPeerConnection nu — côté borne', bareSamples.map((s) => s.booth)),
      row('Témoin RTCPeerConnection nu — côté conseiller', bareSamples.map((s) => s.agent)),
      `Rapport des médianes Relais / témoin : borne ${(median(oursSamples.map((s) => s.booth)) / median(bareSamples.map((s) => s.booth))).toFixed(2)}×, conseiller ${(median(oursSamples.map((s) => s.agent)) / median(bareSamples.map((s) => s.agent))).toFixed(2)}× (objectif ≤ 1,15×)`,
      `Rapport des p90 Relais / témoin : borne ${(quantile(oursSamples.map((s) => s.booth), 0.9) / quantile(bareSamples.map((s) => s.booth), 0.9)).toFixed(2)}×, conseiller ${(quantile(oursSamples.map((s) => s.agent), 0.9) / quantile(bareSamples.map((s) => s.agent), 0.9)).toFixed(2)}×`,
    ];
    if (CALLS > 0) process.stdout.write(`${[...lines, ...breakdown(oursSamples, bareSamples)].join('\n')}\n`);

    // ---- the step-down on a lossy link: relay-only through the lossy proxy (STEPDOWN=0 skips it) ----
    if (process.env.STEPDOWN === '0') return;
    await hub.stop();
    hub = await startTestHub({ staticDir: pages.consoleDir, iceServers: [{ urls: `turn:127.0.0.1:${proxy.port}?transport=udp`, username: turn.iceServers[0]!.username!, credential: turn.iceServers[0]!.credential! }] });
    const lossBooth = await newPage(boothBrowser, [loopbackIceScript(true), FIRST_FRAME_SCRIPT]);
    await agent.context.close();
    const lossAgent = await newPage(agentBrowser, [loopbackIceScript(true), FIRST_FRAME_SCRIPT, AUTO_ACCEPT_SCRIPT]);
    agent.page = lossAgent.page;
    await signIn(hub);
    const q = new URLSearchParams({ hub: hub.hub.url, token: hub.boothToken, org: 'CAF', endedMs: '600000' });
    await lossBooth.page.goto(`${boothSite.origin}/visio-booth.html?${q}`);
    await waitFor(lossBooth.page, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'relayed first frame');
    const readState = () =>
      lossBooth.page.evaluate(async () => {
        const level = document.querySelector('[data-level]')?.getAttribute('data-level') ?? '?';
        const list = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
        const pc = list[list.length - 1];
        let width = 0;
        let fps = 0;
        let sentKbps = 0;
        const diag: string[] = [];
        if (pc)
          (await pc.getStats()).forEach((s: Record<string, unknown>) => {
            if (s.type === 'inbound-rtp') diag.push(`${String(s.kind)} lost=${String(s.packetsLost)} rx=${String(s.packetsReceived)} jit=${Number(s.jitter ?? 0).toFixed(3)}`);
            if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') diag.push(`rtt=${String(s.currentRoundTripTime)}`);
            if (s.type === 'outbound-rtp' && s.kind === 'video') {
              width = Number(s.frameWidth ?? 0);
              fps = Number(s.framesPerSecond ?? 0);
              sentKbps = Number(s.bytesSent ?? 0);
            }
          });
        return { level, width, fps, bytesSent: sentKbps, diag: diag.join(' ') };
      });
    const timeline: string[] = [];
    const t0 = Date.now();
    let lastBytes = 0;
    let lastAt = Date.now();
    const observe = async (seconds: number, phase: string) => {
      for (let s = 0; s < seconds * 2; s++) {
        await new Promise((r) => setTimeout(r, 500));
        const st = await readState();
        const kbps = ((st.bytesSent - lastBytes) * 8) / Math.max(1, Date.now() - lastAt);
        lastBytes = st.bytesSent;
        lastAt = Date.now();
        if (s % 2 === 1) timeline.push(`${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${phase.padEnd(12)} niveau ${st.level.padEnd(10)} vidéo envoyée ${st.width}px ${st.fps.toFixed(0)} i/s ${kbps.toFixed(0)} kbit/s ${DIAG ? st.diag : ''}`);
      }
    };
    await observe(4, 'perte 0 %');
    proxy.setLoss(0.15);
    await observe(12, 'perte 15 %');
    proxy.setLoss(0);
    await observe(26, 'perte 0 %');
    process.stdout.write(
      `\nPalier automatique sur un lien avec perte (relais TURN coturn, proxy UDP qui jette 15 % des paquets média dans les deux sens, ${proxy.dropped()} paquets jetés ; relevé getStats chaque seconde ; descente après 3 relevés à 15 % de perte ou plus, ou dès que l’estimation de débit s’effondre ; remontée après 3 bons) :\n${timeline.join('\n')}\n`,
    );
    await lossBooth.context.close();
    await lossAgent.context.close();
  } finally {
    await Promise.all([boothBrowser.close(), agentBrowser.close()]);
    await hub?.stop();
    proxy.close();
    await turn.stop();
    await relay.close();
    await boothSite.close();
    await baselineSite.close();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(join(pages.consoleDir, '..'), { recursive: true, force: true });
  }
}

await main();
