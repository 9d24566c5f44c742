// `npm run bench:rural`: calls on emulated rural links, each Relais call beside a bare RTCPeerConnection call in the same
// run (interleaved, so a slow spell of the shared machine falls on both), relay-only through coturn, the booth's Chromium
// in a network namespace behind a shaped veth link (tests/bench/rural/link.ts), the agent's on the host. Camera: a
// 640×480 y4m at 15 fps with motion. Prints per profile: first-frame ratio, received fps and height over time, freezes,
// concealed audio, the longest voice gap at the booth, the level timeline; the drop profile adds the recovery times.
// Root only (namespaces, tc, iptables); elsewhere it says why and exits 0.
// CALLS (8), CALL_SECONDS (60), DROP_CALLS (4), PROFILES (adsl,4g,drop), RECORD_FIXTURES=DIR writes the step-down's stats
// samples of the first call of each stack and profile as unit-test fixtures; DUMP=PREFIX writes every row to PREFIX-<profile>.json;
// CPU_PROFILE=1 prints where the Relais pages' main threads spend the first call; REPORT_FROM=PREFIX reprints a DUMP's tables.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../e2e/playwright.config.js';
import { startCoturn } from '../e2e/support/coturn.js';
import { AGENT, buildVisioPages, serveDir, startTestHub } from '../e2e/support/hub.js';
import { mediaArgs } from '../e2e/support/media.js';
import { missingTools, openRuralLink, type LinkProfile } from './rural/link.js';
import { compareAll, levelTimeline, longestVoiceGap, mean, median, perSecond, secondsUntil, stepDowns, windowFigures, type Row, type Verdict } from './rural/metrics.js';
import { AUTO_ACCEPT_SCRIPT, FIRST_FRAME_SCRIPT, STATS_SCRIPT, linkIceScript } from './rural/pageScripts.js';
import { BARE_CALL_HTML, startBareRelay } from './support/bareCall.js';

const CALLS = Number(process.env.CALLS ?? 8);
const CALL_SECONDS = Number(process.env.CALL_SECONDS ?? 60);
const DROP_CALLS = Number(process.env.DROP_CALLS ?? 4);
const PROFILE_NAMES = (process.env.PROFILES ?? 'adsl,4g,drop').split(',');
const RECORD = process.env.RECORD_FIXTURES ?? '';
const CAMERA = { width: 640, height: 480 };
/** The drop: after DROP_AT s of call, the link falls to DROP_KBPS both ways for DROP_FOR s, then comes back. */
const DROP = { atS: 15, forS: 20, kbps: 150, afterS: 50 };
/** Measures start this long after the first frame (the encoder's start-up ramp is the same for both stacks). */
const SETTLE_MS = 5_000;

const ADSL: LinkProfile = { name: 'ADSL rural', upKbps: 1000, downKbps: 4000, delayMs: 60, jitterMs: 10, loss: 0.01 };
const PROFILES: Record<string, { link: LinkProfile; drop: boolean }> = {
  adsl: { link: ADSL, drop: false },
  '4g': { link: { name: '4G faible', upKbps: 500, downKbps: 1500, delayMs: 100, jitterMs: 30, loss: 0.03 }, drop: false },
  drop: { link: { ...ADSL, name: `ADSL puis ${DROP.kbps} kbit/s pendant ${DROP.forS} s` }, drop: true },
};

type Stack = 'Relais' | 'témoin';
interface CallResult {
  stack: Stack;
  firstFrameMs: number;
  /** Epoch ms of the booth's first remote frame: the call's measures count from here. */
  start: number;
  end: number;
  dropAt?: number;
  recoverAt?: number;
  booth: Row[];
  agent: Row[];
  raw: { booth: unknown[]; agent: unknown[] };
}

/** A y4m of `frames` frames at 15 fps: a gradient with a square and a bar that move (an encoder has work, as with a face). */
function writeMovingY4m(file: string, tint: [number, number], frames = 30): void {
  const { width, height } = CAMERA;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  const luma = width * height;
  const chroma = luma / 4;
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) {
    const frame = Buffer.alloc(6 + luma + 2 * chroma);
    frame.write('FRAME\n', 0);
    const sx = Math.round(((width - 120) * f) / frames);
    const by = Math.round(((height - 40) * ((f * 2) % frames)) / frames);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let v = 40 + Math.round((150 * (x + y)) / (width + height)) + ((x >> 3) + (y >> 3)) % 2 * 6;
        if (x >= sx && x < sx + 120 && y >= 180 && y < 300) v = 230 - ((x - sx) % 24) * 3;
        if (y >= by && y < by + 40) v = 200;
        frame[6 + y * width + x] = v;
      }
    frame.fill(tint[0], 6 + luma, 6 + luma + chroma);
    frame.fill(tint[1], 6 + luma + chroma);
    parts.push(frame);
  }
  writeFileSync(file, Buffer.concat(parts));
}


const sleepUntil = (epochMs: number) => new Promise((r) => setTimeout(r, Math.max(0, epochMs - Date.now())));

async function waitFor(page: Page, fn: () => number | undefined, what: string, timeoutMs = 45_000): Promise<number> {
  const handle = await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 50 }).catch(() => {
    throw new Error(`délai dépassé : ${what}`);
  });
  return Number(await handle.jsonValue());
}

/** CPU_PROFILE=1: where a Relais page's main thread spends its time during the call (top functions by self time). */
async function startCpuProfile(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] } };
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || '(anon)'}@${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`).join(' | ');
  };
}

const readRows = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __rows: Row[]; __raw: unknown[] };
    return { rows: w.__rows, raw: w.__raw };
  });
const resetRows = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __rows: Row[]; __raw: unknown[] };
    w.__rows = [];
    w.__raw = [];
  });

async function runProfile(key: string, pages: { consoleDir: string; boothDir: string }, baselineDir: string, y4m: { booth: string; agent: string }): Promise<CallResult[]> {
  const { link: profile, drop } = PROFILES[key]!;
  const calls = drop ? DROP_CALLS : CALLS;
  const link = await openRuralLink(profile);
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const turn = await startCoturn(link.hostIp);
    // Interrupted (Ctrl-C, SIGTERM: the link's handler exits), coturn would outlive the bench: stopped by its PID on exit.
    const killTurn = () => void turn.process.kill('SIGTERM');
    process.once('exit', killTurn);
    closers.push(async () => {
      process.off('exit', killTurn);
      await turn.stop();
    });
    const hub = await startTestHub({ staticDir: pages.consoleDir, iceServers: turn.iceServers, host: link.hostIp });
    closers.push(() => hub.stop());
    const boothSite = await serveDir(pages.boothDir, link.hostIp);
    closers.push(() => boothSite.close());
    const baseSite = await serveDir(baselineDir, link.hostIp);
    closers.push(() => baseSite.close());
    const relay = await startBareRelay(link.hostIp);
    closers.push(() => relay.close());
    // The pages come from the link's host address: not a secure context by default, and getUserMedia needs one.
    const secure = `--unsafely-treat-insecure-origin-as-secure=${[hub.hub.httpUrl, boothSite.origin, baseSite.origin].join(',')}`;
    const launch = (executablePath: string, file: string) =>
      chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...mediaArgs(file), secure], env: CHROMIUM_ENV });
    const boothBrowser: Browser = await launch(link.wrap('/usr/bin/chromium'), y4m.booth);
    closers.push(() => boothBrowser.close());
    const agentBrowser: Browser = await launch('/usr/bin/chromium', y4m.agent);
    closers.push(() => agentBrowser.close());
    const scripts = [linkIceScript(['127.0.0.1', link.hostIp, link.boothIp]), FIRST_FRAME_SCRIPT, STATS_SCRIPT];
    const newPage = async (browser: Browser, extra: string[] = []): Promise<Page> => {
      const context: BrowserContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
      for (const s of [...scripts, ...extra]) await context.addInitScript(s);
      return context.newPage();
    };
    const booth = await newPage(boothBrowser);
    const agent = await newPage(agentBrowser, [AUTO_ACCEPT_SCRIPT]);
    const baseBooth = await newPage(boothBrowser);
    const baseAgent = await newPage(agentBrowser);
    await agent.goto(hub.hub.httpUrl);
    await agent.getByLabel('Identifiant').fill(AGENT.login);
    await agent.getByLabel('Mot de passe').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Se connecter' }).click();
    await agent.locator('[data-hub="ready"]').waitFor({ timeout: 30_000 });

    /** From the first frame: the call's length, with the drop in it when the profile has one. */
    const hold = async (start: number): Promise<{ end: number; dropAt?: number; recoverAt?: number }> => {
      if (!drop) {
        await sleepUntil(start + CALL_SECONDS * 1000);
        return { end: Date.now() };
      }
      await sleepUntil(start + DROP.atS * 1000);
      const dropAt = Date.now();
      link.setRate(DROP.kbps, DROP.kbps);
      await sleepUntil(dropAt + DROP.forS * 1000);
      const recoverAt = Date.now();
      link.setRate(profile.upKbps, profile.downKbps);
      await sleepUntil(recoverAt + DROP.afterS * 1000);
      return { end: Date.now(), dropAt, recoverAt };
    };

    const ours = async (): Promise<CallResult> => {
      const q = new URLSearchParams({ hub: hub.hub.url, token: hub.boothToken, org: 'CAF', autostart: '0', endedMs: '600000' });
      await booth.goto(`${boothSite.origin}/visio-booth.html?${q}`);
      await waitFor(booth, () => ((window as unknown as { __visio?: { hubReady: boolean } }).__visio?.hubReady ? 1 : undefined), 'connexion de la borne au hub');
      await resetRows(agent);
      const tap = await booth.evaluate(() => (window as unknown as { __visioTap: () => number }).__visioTap());
      const start = await waitFor(booth, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'première image (Relais)');
      const profiling = process.env.CPU_PROFILE === '1' ? await Promise.all([startCpuProfile(booth), startCpuProfile(agent)]) : null;
      const times = await hold(start);
      if (profiling) for (const [i, stop] of profiling.entries()) process.stdout.write(`  profil ${i === 0 ? 'borne' : 'conseiller'} : ${await stop()}\n`);
      const [b, a] = await Promise.all([readRows(booth), readRows(agent)]);
      await booth.evaluate(() => (window as unknown as { __visio: { store: { getState(): { hangup(): void } } } }).__visio.store.getState().hangup());
      await agent.locator('[data-testid="agent-ended"]').waitFor({ timeout: 30_000 });
      return { stack: 'Relais', firstFrameMs: start - tap, start, ...times, booth: b.rows, agent: a.rows, raw: { booth: b.raw, agent: a.raw } };
    };

    const bare = async (): Promise<CallResult> => {
      const q = (role: string) => new URLSearchParams({ role, relay: relay.url, ice: JSON.stringify(turn.iceServers), policy: 'relay', fps: '15' });
      await baseAgent.goto(`${baseSite.origin}/index.html?${q('agent')}`);
      await baseAgent.evaluate(() => (window as unknown as { __ready: Promise<void> }).__ready);
      await baseBooth.goto(`${baseSite.origin}/index.html?${q('booth')}`);
      const tap = await baseBooth.evaluate(() => (window as unknown as { __visioTap: () => number }).__visioTap());
      const start = await waitFor(baseBooth, () => (window as unknown as { __firstFrames: number[] }).__firstFrames[0], 'première image (témoin)');
      const times = await hold(start);
      const [b, a] = await Promise.all([readRows(baseBooth), readRows(baseAgent)]);
      await Promise.all([baseBooth.evaluate(() => (window as unknown as { __hangup(): void }).__hangup()), baseAgent.evaluate(() => (window as unknown as { __hangup(): void }).__hangup())]);
      await Promise.all([baseBooth.goto('about:blank'), baseAgent.goto('about:blank')]);
      return { stack: 'témoin', firstFrameMs: start - tap, start, ...times, booth: b.rows, agent: a.rows, raw: { booth: b.raw, agent: a.raw } };
    };

    const results: CallResult[] = [];
    for (let i = 0; i < calls; i++) {
      // Each round runs both stacks, in turn first, so drift in the machine's load falls on both alike.
      const order = i % 2 === 0 ? [ours, bare] : [bare, ours];
      for (const run of order) {
        const r = await run();
        results.push(r);
        const tl = r.stack === 'Relais' ? levelTimeline(r.booth, r.start).map(([t, l]) => `${l}@${t.toFixed(0)}s`).join(' → ') : '';
        process.stdout.write(`  ${profile.name} appel ${i + 1}/${calls} ${r.stack.padEnd(6)} première image ${Math.round(r.firstFrameMs)} ms ${tl}\n`);
      }
    }
    return results;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    link.close();
  }
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f0 = (x: number) => (Number.isFinite(x) ? (Math.round(x) || 0).toFixed(0) : '—');
const cell = (s: string) => s.padStart(16);

/**
 * « Never worse than bare WebRTC » figure by figure, Relais's calls against the bare calls of the same run: at least as
 * good on the means, or within the calls' own spread (exact one-sided permutation test, p ≥ 0.05), or worse.
 */
function verdicts(results: CallResult[], drop: boolean): string[] {
  const relais = results.filter((r) => r.stack === 'Relais');
  const bare = results.filter((r) => r.stack === 'témoin');
  const steady = (r: CallResult) => [r.start + SETTLE_MS, r.dropAt ?? r.end] as const;
  const figures: Array<[string, (r: CallResult) => number, 1 | -1]> = [];
  for (const [side, label] of [['agent', 'conseiller'], ['booth', 'borne']] as const) {
    const fig = (r: CallResult) => windowFigures(r[side], ...steady(r), CAMERA.height);
    figures.push([`images/s reçues, ${label}`, (r) => fig(r).fps, -1]);
    figures.push([`hauteur reçue, ${label}`, (r) => fig(r).height, -1]);
    figures.push([`durée de gel, ${label}`, (r) => fig(r).freezeS, 1]);
    figures.push([`son masqué, ${label}`, (r) => fig(r).concealedPct, 1]);
  }
  figures.push(['plus long trou de voix, borne', (r) => longestVoiceGap(r.booth, r.start + SETTLE_MS, r.end), 1]);
  if (drop) {
    const after = (r: CallResult) => [r.recoverAt!, r.end] as const;
    // A call whose video never came back counts as the whole time after the return.
    const never = (r: CallResult) => (r.end - r.recoverAt!) / 1000;
    figures.push(['vidéo revenue après le retour, borne', (r) => secondsUntil(r.booth, ...after(r), 2, (x) => x.fps >= 5) ?? never(r), 1]);
    figures.push(['pleine qualité revenue, borne', (r) => secondsUntil(r.booth, ...after(r), 3, (x) => x.fps >= 5 && x.height >= CAMERA.height) ?? never(r), 1]);
    figures.push(['trou de voix pendant la chute, borne', (r) => longestVoiceGap(r.booth, r.dropAt!, r.recoverAt! + 10_000), 1]);
    figures.push(['son masqué pendant la chute, borne', (r) => windowFigures(r.booth, r.dropAt!, r.recoverAt!, CAMERA.height).concealedPct, 1]);
  }
  const words: Record<Verdict, string> = { 'better-or-equal': 'au moins aussi bon', 'within-noise': 'dans le bruit des appels', worse: 'PIRE' };
  const lines = [
    `jamais pire que le témoin ? (moyennes ; p : test de permutation exact unilatéral ; pire si significatif à 5 % sur les ${figures.length} chiffres ensemble, correction de Holm)`,
  ];
  let worse = 0;
  const compared = compareAll(figures.map(([, value, direction]) => ({ relais: relais.map(value), bare: bare.map(value), worse: direction })));
  for (const [k, [label]] of figures.entries()) {
    const c = compared[k]!;
    if (c.verdict === 'worse') worse++;
    const p = c.verdict === 'better-or-equal' ? '' : ` (p = ${c.p.toFixed(3)})`;
    lines.push(`  ${label.padEnd(48)}${f2(c.relais).padStart(8)} ${f2(c.bare).padStart(8)}   ${words[c.verdict]}${p}`);
  }
  lines.push(`  => ${worse === 0 ? 'jamais pire sur ce profil' : `pire sur ${worse} chiffre(s)`}`);
  return lines;
}
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

function report(key: string, results: CallResult[]): string[] {
  const { link: profile, drop } = PROFILES[key]!;
  const by = (stack: Stack) => results.filter((r) => r.stack === stack);
  const stacks: Stack[] = ['Relais', 'témoin'];
  const lines: string[] = [
    '',
    `== « ${profile.name} » : ${profile.upKbps} kbit/s montant, ${profile.downKbps} descendant, ${profile.delayMs} ± ${profile.jitterMs} ms par sens, ${profile.loss * 100} % de perte par sens` +
      (drop ? ` ; à ${DROP.atS} s, ${DROP.kbps} kbit/s dans les deux sens pendant ${DROP.forS} s, puis retour (${DROP.afterS} s)` : '') +
      ` — ${by('Relais').length} appels de chaque, ${drop ? DROP.atS + DROP.forS + DROP.afterS : CALL_SECONDS} s, alternés`,
    `${''.padEnd(50)}${cell('Relais')}${cell('témoin')}`,
  ];
  const row = (label: string, f: (rs: CallResult[]) => string) => lines.push(`${label.padEnd(50)}${stacks.map((s) => cell(f(by(s)))).join('')}`);
  const ff = stacks.map((s) => median(by(s).map((r) => r.firstFrameMs)));
  row('première image côté borne (médiane)', (rs) => `${f0(median(rs.map((r) => r.firstFrameMs)))} ms`);
  lines.push(`${'  rapport Relais / témoin'.padEnd(50)}${cell(`${(ff[0]! / ff[1]!).toFixed(2)}×`)}`);
  // The steady part of each call: from SETTLE_MS after the first frame to the end (to the drop, for the drop profile).
  const steady = (r: CallResult) => [r.start + SETTLE_MS, r.dropAt ?? r.end] as const;
  for (const [side, label] of [['agent', 'conseiller (image de la borne)'], ['booth', 'borne (image du conseiller)']] as const) {
    const fig = (r: CallResult) => windowFigures(r[side], ...steady(r), CAMERA.height);
    row(`images/s reçues, ${label}`, (rs) => `${f1(mean(rs.map((r) => fig(r).fps)))} (min ${f1(Math.min(...rs.map((r) => fig(r).fps)))})`);
    row(`  hauteur reçue moyenne, part à ${CAMERA.height} px`, (rs) => `${f0(mean(rs.map((r) => fig(r).height)))} px ${f0(100 * mean(rs.map((r) => fig(r).atCameraHeight)))} %`);
    row('  gels par appel, durée totale par appel', (rs) => `${f1(mean(rs.map((r) => fig(r).freezes)))}  ${f1(mean(rs.map((r) => fig(r).freezeS)))} s`);
    row('  son masqué (moyenne, max)', (rs) => `${f1(mean(rs.map((r) => fig(r).concealedPct)))} % ${f1(Math.max(...rs.map((r) => fig(r).concealedPct)))}`);
  }
  row('plus long trou de voix côté borne (médiane, max)', (rs) => {
    const gaps = rs.map((r) => longestVoiceGap(r.booth, r.start + SETTLE_MS, r.end));
    return `${f1(median(gaps))} s ${f1(Math.max(...gaps))}`;
  });
  row('appels où le palier est descendu', (rs) => (rs[0]?.stack === 'Relais' ? `${rs.filter((r) => stepDowns(levelTimeline(r.booth, r.start)) > 0).length} / ${rs.length}` : '—'));
  if (drop) {
    const after = (r: CallResult) => [r.recoverAt!, r.end] as const;
    for (const [side, label] of [['booth', 'borne'], ['agent', 'conseiller']] as const) {
      row(`vidéo revenue après le retour du lien (${label}, méd., max)`, (rs) => {
        const xs = rs.map((r) => secondsUntil(r[side], ...after(r), 2, (s) => s.fps >= 5) ?? Infinity);
        return `${f0(median(xs))} s ${f0(Math.max(...xs))}`;
      });
      row(`pleine qualité revenue (${label}, méd., max)`, (rs) => {
        // Full quality as the issue measures it: the camera's 480 px back, with the video flowing, 3 s in a row.
        const xs = rs.map((r) => secondsUntil(r[side], ...after(r), 3, (s) => s.fps >= 5 && s.height >= CAMERA.height) ?? Infinity);
        return `${f0(median(xs))} s ${f0(Math.max(...xs))}`;
      });
    }
    row('palier « full » revenu après le retour (méd., max)', (rs) => {
      if (rs[0]?.stack !== 'Relais') return '—';
      const xs = rs.map((r) => {
        const back = levelTimeline(r.booth, r.recoverAt!).find(([t, l]) => t >= 0 && l === 'full');
        const last = levelTimeline(r.booth, r.recoverAt!).at(-1);
        return back && last?.[1] === 'full' ? back[0] : Infinity;
      });
      return `${f0(median(xs))} s ${f0(Math.max(...xs))}`;
    });
    row('trou de voix côté borne pendant la chute (méd., max)', (rs) => {
      const gaps = rs.map((r) => longestVoiceGap(r.booth, r.dropAt!, r.recoverAt! + 10_000));
      return `${f1(median(gaps))} s ${f1(Math.max(...gaps))}`;
    });
    row('son masqué côté borne pendant la chute', (rs) => `${f1(mean(rs.map((r) => windowFigures(r.booth, r.dropAt!, r.recoverAt!, CAMERA.height).concealedPct)))} %`);
  }
  lines.push(...verdicts(results, drop));
  // Received fps and height over time, median of the calls, by 10 s slices from the first frame.
  const total = drop ? DROP.atS + DROP.forS + DROP.afterS : CALL_SECONDS;
  lines.push(`images/s et hauteur reçues dans le temps (médiane des appels, par tranche de 10 s depuis la première image${drop ? ` ; chute de ${DROP.atS} à ${DROP.atS + DROP.forS} s` : ''})`);
  for (const stack of stacks)
    for (const [side, label] of [['booth', 'borne'], ['agent', 'conseiller']] as const) {
      const slices: string[] = [];
      for (let s = 0; s + 10 <= total; s += 10) {
        const per = by(stack).map((r) => perSecond(r[side], r.start + s * 1000, 10));
        slices.push(`${f0(median(per.map((p) => mean(p.map((x) => x.fps)))))}/${f0(median(per.map((p) => p.at(-1)!.height)))}`);
      }
      lines.push(`  ${`${stack}, ${label}`.padEnd(20)} ${slices.join('  ')}`);
    }
  lines.push('paliers de Relais (côté borne, secondes depuis la première image)');
  for (const [i, r] of by('Relais').entries()) lines.push(`  appel ${i + 1} : ${levelTimeline(r.booth, r.start).map(([t, l]) => `${l}@${f0(t)}`).join(' → ')}`);
  return lines;
}

async function main(): Promise<void> {
  // REPORT_FROM=PREFIX prints the tables again from a DUMP of an earlier run, without running anything.
  if (process.env.REPORT_FROM) {
    for (const key of PROFILE_NAMES) {
      const file = `${process.env.REPORT_FROM}-${key}.json`;
      if (existsSync(file)) process.stdout.write(`${report(key, JSON.parse(readFileSync(file, 'utf8')) as CallResult[]).join('\n')}\n`);
    }
    return;
  }
  const missing = missingTools() ?? (existsSync('/usr/bin/chromium') ? null : 'Chromium absent : apt-get install -y chromium') ?? (existsSync('/usr/bin/turnserver') ? null : 'coturn absent : apt-get install -y coturn');
  if (missing) {
    process.stdout.write(`bench:rural ne peut pas tourner ici : ${missing}. Rien n’a été mesuré.\n`);
    return;
  }
  const unknown = PROFILE_NAMES.filter((p) => !PROFILES[p]);
  if (unknown.length > 0) throw new Error(`profils inconnus : ${unknown.join(', ')} (connus : ${Object.keys(PROFILES).join(', ')})`);
  const tmp = mkdtempSync(join(tmpdir(), 'rl-bench-'));
  const y4m = { booth: join(tmp, 'booth.y4m'), agent: join(tmp, 'agent.y4m') };
  writeMovingY4m(y4m.booth, [100, 170]);
  writeMovingY4m(y4m.agent, [170, 100]);
  mkdirSync(join(tmp, 'baseline'));
  writeFileSync(join(tmp, 'baseline/index.html'), BARE_CALL_HTML);
  process.stdout.write('Construction des pages (console des conseillers, écran d’appel de la borne)…\n');
  const pages = await buildVisioPages();
  const lines: string[] = [`Chromium, relais TURN seul (coturn), borne dans un espace de noms derrière un lien veth façonné ; caméra ${CAMERA.width}×${CAMERA.height} à 15 i/s`];
  try {
    for (const key of PROFILE_NAMES) {
      process.stdout.write(`Profil ${PROFILES[key]!.link.name}…\n`);
      const results = await runProfile(key, pages, join(tmp, 'baseline'), y4m);
      const out = report(key, results);
      process.stdout.write(`${out.join('\n')}\n`);
      lines.push(...out);
      if (process.env.DUMP) writeFileSync(`${process.env.DUMP}-${key}.json`, JSON.stringify(results));
      if (RECORD) {
        mkdirSync(RECORD, { recursive: true });
        for (const stack of ['Relais', 'témoin'] as const) {
          const r = results.find((x) => x.stack === stack);
          if (!r) continue;
          const name = `${key}-${stack === 'Relais' ? 'relais' : 'bare'}.json`;
          const fixture = { profile: PROFILES[key]!.link, stack, start: r.start, dropAt: r.dropAt ?? null, recoverAt: r.recoverAt ?? null, booth: r.raw.booth, agent: r.raw.agent };
          writeFileSync(join(RECORD, name), `${JSON.stringify(fixture)}\n`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(join(pages.consoleDir, '..'), { recursive: true, force: true });
  }
  process.stdout.write(`\nRésumé (charge de la machine : ${loadavg()[0]!.toFixed(2)} sur ${cpus().length} cœurs)\n${lines.join('\n')}\n`);
}

await main();
