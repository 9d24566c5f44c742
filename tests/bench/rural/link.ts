// An emulated rural link for the booth's browser (FIELD-NOTES.md: this kernel has no netem): a network namespace joined
// to the host by a veth pair, `tc tbf` for the rate each way, `iptables … statistic` for random loss and `NFQUEUE` +
// nfqdelay.c for delay ± jitter, in order. Everything it creates is named `rl…` and removed by `close()` (also on exit).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface LinkProfile {
  name: string;
  upKbps: number;
  downKbps: number;
  /** One-way delay each direction, and its jitter (uniform ±), in ms. */
  delayMs: number;
  jitterMs: number;
  /** Random loss each direction, 0–1. */
  loss: number;
}

export interface RuralLink {
  namespace: string;
  hostIp: string;
  boothIp: string;
  /** A shell script that runs its arguments inside the namespace (Playwright's executablePath for the booth's Chromium). */
  wrap(executable: string): string;
  /** Changes the rate both ways (the tbf queue stays ~300 ms long at the new rate). */
  setRate(upKbps: number, downKbps: number): void;
  close(): void;
}

const HERE = dirname(fileURLToPath(import.meta.url));

const APT = ['apt-get', 'install', '-y', '-o', 'DPkg::Lock::Timeout=300', '--no-install-recommends', 'iproute2', 'iptables', 'gcc', 'libc6-dev', 'libnetfilter-queue-dev'];

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const complete = () => ['ip', 'tc', 'iptables', 'gcc'].every(has) && existsSync('/usr/include/libnetfilter_queue/libnetfilter_queue.h');

/**
 * What is missing to build a link here (null: nothing), as a sentence for the bench to print. As root, the Debian
 * packages it needs (the NFQUEUE headers and a C compiler for nfqdelay.c) are installed first.
 */
export function missingTools(): string | null {
  if (process.getuid?.() !== 0) return `il faut être root (espace de noms réseau, tc, iptables) ; paquets : sudo ${APT.join(' ')}`;
  if (complete()) return null;
  try {
    execFileSync(APT[0]!, APT.slice(1), { stdio: 'inherit' });
  } catch {
    return `l’installation a échoué : ${APT.join(' ')}`;
  }
  return complete() ? null : `outils absents après ${APT.join(' ')}`;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
const tryRun = (cmd: string, args: string[]) => {
  try {
    run(cmd, args);
  } catch {
    // Cleaning up what may already be gone.
  }
};

/** tbf for one direction: a queue of ~300 ms at the rate (at least two full packets), bursts of two packets. */
function tbfArgs(kbps: number): string[] {
  const limit = Math.max(3_000, Math.round((kbps * 1000 * 0.3) / 8));
  return ['tbf', 'rate', `${kbps}kbit`, 'burst', '3000', 'limit', String(limit)];
}

function buildDelay(dir: string): string {
  const out = join(dir, 'nfqdelay');
  execFileSync('gcc', ['-O2', '-o', out, join(HERE, 'nfqdelay.c'), '-lnetfilter_queue', '-lnfnetlink'], { stdio: 'pipe' });
  return out;
}

/** Picks a /30 in 10.213.0.0/16 that no interface of this host uses. */
function freeSubnet(): number {
  const used = execFileSync('ip', ['-4', '-o', 'addr', 'show']).toString();
  for (let i = 0; i < 64; i++) {
    const third = (process.pid + i) % 250;
    if (!used.includes(`10.213.${third}.`)) return third;
  }
  throw new Error('no free 10.213.x.0/30 subnet');
}

export async function openRuralLink(profile: LinkProfile): Promise<RuralLink> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-link-'));
  const tag = `${process.pid % 100_000}`;
  const ns = `rlns${tag}`;
  const host = `rlh${tag}`;
  const booth = `rlb${tag}`;
  const third = freeSubnet();
  const hostIp = `10.213.${third}.1`;
  const boothIp = `10.213.${third}.2`;
  const delays: ChildProcess[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const d of delays) if (d.exitCode === null && d.pid) tryRun('kill', [String(d.pid)]);
    // Deleting the namespace deletes its end of the veth pair, its iptables rules and qdiscs; the host end goes with it.
    tryRun('ip', ['netns', 'del', ns]);
    tryRun('ip', ['link', 'del', host]);
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => close();
  process.once('exit', onExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      close();
      process.exit(130);
    });
  const inNs = (...args: string[]) => run('ip', ['netns', 'exec', ns, ...args]);
  try {
    const delay = buildDelay(dir);
    run('ip', ['netns', 'add', ns]);
    run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', booth]);
    run('ip', ['link', 'set', booth, 'netns', ns]);
    run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', host]);
    run('ip', ['link', 'set', host, 'up']);
    inNs('ip', 'addr', 'add', `${boothIp}/30`, 'dev', booth);
    inNs('ip', 'link', 'set', booth, 'up');
    inNs('ip', 'link', 'set', 'lo', 'up');
    run('tc', ['qdisc', 'add', 'dev', host, 'root', ...tbfArgs(profile.downKbps)]);
    inNs('tc', 'qdisc', 'add', 'dev', booth, 'root', ...tbfArgs(profile.upKbps));
    if (profile.loss > 0) {
      inNs('iptables', '-A', 'OUTPUT', '-o', booth, '-m', 'statistic', '--mode', 'random', '--probability', String(profile.loss), '-j', 'DROP');
      inNs('iptables', '-A', 'INPUT', '-i', booth, '-m', 'statistic', '--mode', 'random', '--probability', String(profile.loss), '-j', 'DROP');
    }
    if (profile.delayMs > 0) {
      // Queue numbers belong to the namespace: they cannot meet another engineer's.
      for (const [queue, chain, flag] of [['1', 'OUTPUT', '-o'], ['2', 'PREROUTING', '-i']] as const) {
        const child = spawn('ip', ['netns', 'exec', ns, delay, queue, String(profile.delayMs), String(profile.jitterMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
        delays.push(child);
        await new Promise<void>((resolve, reject) => {
          const lines = createInterface({ input: child.stdout! });
          lines.once('line', () => resolve());
          child.once('exit', (code) => reject(new Error(`nfqdelay exited (${code})`)));
        });
        inNs('iptables', '-t', 'mangle', '-A', chain, flag, booth, '-j', 'NFQUEUE', '--queue-num', queue);
      }
    }
  } catch (error) {
    close();
    process.off('exit', onExit);
    throw error;
  }
  return {
    namespace: ns,
    hostIp,
    boothIp,
    wrap(executable) {
      const script = join(dir, 'in-namespace.sh');
      writeFileSync(script, `#!/bin/sh\nexec ip netns exec ${ns} ${executable} "$@"\n`);
      chmodSync(script, 0o755);
      return script;
    },
    setRate(upKbps, downKbps) {
      run('tc', ['qdisc', 'change', 'dev', host, 'root', ...tbfArgs(downKbps)]);
      inNs('tc', 'qdisc', 'change', 'dev', booth, 'root', ...tbfArgs(upKbps));
    },
    close() {
      close();
      process.off('exit', onExit);
    },
  };
}
