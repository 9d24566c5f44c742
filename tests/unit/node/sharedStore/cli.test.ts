// The real command (`npm run hub -- …`) managing booths and agents in PostgreSQL with --postgres (or
// RELAIS_POSTGRES_URL), and still in SQLite without it.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Postgres from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openPostgresStores } from '../../../../server/sharedStore/postgres.js';
import { verifyPassword } from '../../../../server/auth.js';
import { sha256 } from '../../../../server/store.js';
import { freeLoopbackPort } from '../../../support/childServer.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'relais-cli-pg-'));
  dirs.push(d);
  return d;
};

/** Runs `server/cli.ts` as `npm run hub` does, with the PostgreSQL URL taken from the environment unless given. */
function hub(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const environment: NodeJS.ProcessEnv = { ...process.env, RELAIS_LOG_LEVEL: 'silent', ...env };
  if (!('RELAIS_POSTGRES_URL' in env)) delete environment.RELAIS_POSTGRES_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: environment, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('hub command with --postgres', () => {
  it('adds a booth and an agent in PostgreSQL, lists them, revokes both — and leaves the SQLite directory alone', { timeout: 60_000 }, async () => {
    const url = await server.newDatabase();
    const dataDir = path.join(tempDir(), 'hub-data');
    const pg = ['--postgres', url, '--data-dir', dataDir];

    const booth = await hub(['booth', 'add', "Mairie d'Ydes « annexe »", ...pg]);
    expect(booth.stderr).toBe('');
    expect(booth.stdout).toMatch(/^Borne n° 1 « Mairie d'Ydes « annexe » » créée\./);
    const token = booth.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^rb_/);
    const agent = await hub(['agent', 'add', '--org', 'CAF', '--login', 'marie.caf', '--name', 'Marie Dupont', '--password', 'motdepasse-long', ...pg]);
    expect(agent.stdout).toBe('Conseiller n° 1 (CAF, marie.caf) créé.\n');

    const listed = await hub(['list', ...pg]);
    expect(listed.stdout).toBe("Bornes :\n  1\tMairie d'Ydes « annexe »\nConseillers :\n  1\tCAF\tmarie.caf\tMarie Dupont\n");

    expect((await hub(['booth', 'revoke', '1', ...pg])).stdout).toBe('Borne n° 1 révoquée.\n');
    expect((await hub(['booth', 'revoke', '1', ...pg])).stdout).toBe('Borne n° 1 introuvable ou déjà révoquée.\n');
    expect((await hub(['agent', 'revoke', 'marie.caf', ...pg])).stdout).toBe('Conseiller marie.caf révoqué (sessions fermées).\n');
    expect((await hub(['list', ...pg])).stdout).toBe("Bornes :\n  1\tMairie d'Ydes « annexe » — révoquée\nConseillers :\n  1\tCAF\tmarie.caf\tMarie Dupont — révoqué\n");

    const store = await openPostgresStore(url);
    try {
      expect(await store.boothByTokenHash(sha256(token))).toEqual({ id: 1, name: "Mairie d'Ydes « annexe »", demo: false, revoked: true });
      const stored = await store.agentByLogin('marie.caf');
      expect(stored).toMatchObject({ organisation: 'CAF', revoked: true });
      expect(stored!.passwordHash).not.toContain('motdepasse-long');
    } finally {
      await store.close();
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it("adds a department coordinator in PostgreSQL (the nodes' dashboard signs them in); a second add resets the password", { timeout: 60_000 }, async () => {
    const url = await server.newDatabase();
    const added = await hub(['coordinator', 'add', '--login', 'coord.lot', '--password', 'motdepasse-long', '--postgres', url]);
    expect(added).toMatchObject({ status: 0, stderr: '' });
    expect(added.stdout).toBe('Coordinateur n° 1 (coord.lot) enregistré.\n');
    expect((await hub(['coordinator', 'add', '--login', 'coord.lot', '--password', 'court', '--postgres', url])).stderr).toContain('Mot de passe trop court');
    expect((await hub(['coordinator', 'add', '--login', 'coord.lot', '--password', 'un-autre-mot-de-passe', '--postgres', url])).stdout).toBe('Coordinateur n° 1 (coord.lot) enregistré.\n');
    const stores = await openPostgresStores(url);
    try {
      const row = await stores.evaluation.coordinatorByLogin('coord.lot');
      expect(row).toMatchObject({ id: 1, login: 'coord.lot', revoked: false });
      expect(await verifyPassword('un-autre-mot-de-passe', row!.passwordHash)).toBe(true);
    } finally {
      await stores.close();
    }
  });

  it('takes the URL from RELAIS_POSTGRES_URL too', { timeout: 30_000 }, async () => {
    const url = await server.newDatabase();
    expect((await hub(['booth', 'add', 'Par la variable'], { RELAIS_POSTGRES_URL: url })).status).toBe(0);
    expect((await hub(['list', '--postgres', url])).stdout).toContain('1\tPar la variable');
  });

  it('refuses an unknown organisation in French and creates nothing', { timeout: 30_000 }, async () => {
    const url = await server.newDatabase();
    const r = await hub(['agent', 'add', '--org', 'NOPE', '--login', 'x', '--name', 'X', '--password', 'motdepasse-long', '--postgres', url]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Organisme inconnu : NOPE');
    expect((await hub(['list', '--postgres', url])).stdout).toBe('Bornes :\nConseillers :\n');
  });

  it('refuses a login already taken in French, without a stack, and keeps the first agent as it was', { timeout: 30_000 }, async () => {
    const url = await server.newDatabase();
    const add = (name: string): ReturnType<typeof hub> => hub(['agent', 'add', '--org', 'CAF', '--login', 'marie.caf', '--name', name, '--password', 'motdepasse-long', '--postgres', url]);
    expect((await add('Marie Dupont')).status).toBe(0);
    const again = await add('Une autre');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain("L'identifiant « marie.caf » est déjà pris");
    expect(again.stderr).not.toMatch(/duplicate key|\n\s+at /);
    expect((await hub(['list', '--postgres', url])).stdout).toBe('Bornes :\nConseillers :\n  1\tCAF\tmarie.caf\tMarie Dupont\n');
  });

  it('answers in French that the other commands need the SQLite hub, and touches nothing', { timeout: 30_000 }, async () => {
    const url = await server.newDatabase();
    for (const args of [
      ['booth', 'rename', '1', 'Autre'],
      ['agent', 'unknown', 'marie.caf'],
    ]) {
      const r = await hub([...args, '--postgres', url]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        /^Avec --postgres \(ou RELAIS_POSTGRES_URL\), seules ces commandes agissent sur PostgreSQL : booth add, booth revoke, agent add, agent revoke, coordinator add, list, agent planner, agent ical, release\. Les autres demandent le hub sur SQLite/,
      );
    }
    expect((await hub(['list', '--postgres', url])).stdout).toBe('Bornes :\nConseillers :\n');
  });

  it("sets an agent's planner right and iCalendar address in PostgreSQL, as in SQLite, « (planificateur) » listed", { timeout: 60_000 }, async () => {
    const url = await server.newDatabase();
    const dataDir = path.join(tempDir(), 'hub-data');
    const pg = ['--postgres', url, '--data-dir', dataDir];
    expect((await hub(['agent', 'add', '--org', 'CAF', '--login', 'marie.caf', '--name', 'Marie Dupont', '--password', 'motdepasse-long', ...pg])).status).toBe(0);

    expect(await hub(['agent', 'planner', 'marie.caf', 'on', ...pg])).toEqual({ status: 0, stdout: 'Conseiller marie.caf : peut publier les créneaux (CAF).\n', stderr: '' });
    expect((await hub(['list', ...pg])).stdout).toBe('Bornes :\nConseillers :\n  1\tCAF\tmarie.caf\tMarie Dupont (planificateur)\n');
    const calendar = await hub(['agent', 'ical', 'marie.caf', 'new', '--public-url', 'https://relais.exemple.fr/', ...pg]);
    expect(calendar).toMatchObject({ status: 0, stderr: '' });
    const [said, address] = calendar.stdout.trimEnd().split('\n');
    expect(said).toBe("Calendrier de marie.caf (adresse affichée une seule fois ; l'ancienne ne marche plus) :");
    const secret = /^https:\/\/relais\.exemple\.fr\/agents\/ical\/(.+)\.ics$/.exec(address ?? '')?.[1];
    expect(secret, address).toBeDefined();
    const stores = await openPostgresStores(url);
    try {
      expect(await stores.appointments.isPlanner(1)).toBe(true);
      expect(await stores.appointments.agentIdByIcalHash(sha256(secret!))).toBe(1);
      expect((await hub(['agent', 'ical', 'marie.caf', 'revoke', ...pg])).stdout).toBe('Calendrier de marie.caf révoqué : son adresse ne marche plus.\n');
      expect(await stores.appointments.agentIdByIcalHash(sha256(secret!))).toBeNull();
      expect((await hub(['agent', 'planner', 'marie.caf', 'off', ...pg])).stdout).toBe('Conseiller marie.caf : ne publie plus de créneaux.\n');
      expect(await stores.appointments.isPlanner(1)).toBe(false);
    } finally {
      await stores.close();
    }
    expect((await hub(['list', ...pg])).stdout).toBe('Bornes :\nConseillers :\n  1\tCAF\tmarie.caf\tMarie Dupont\n');

    const unknown = await hub(['agent', 'planner', 'personne', 'on', ...pg]);
    expect([unknown.status, unknown.stderr]).toEqual([1, 'Conseiller personne introuvable.\n']);
    const badChoice = await hub(['agent', 'ical', 'marie.caf', 'oui', ...pg]);
    expect([badChoice.status, badChoice.stderr]).toEqual([1, 'agent ical <login> new|revoke\n']);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('publishes a release into PostgreSQL (the installer with it, for every node) and sets its rollout, refusals in French', { timeout: 60_000 }, async () => {
    const url = await server.newDatabase();
    const dataDir = path.join(tempDir(), 'hub-data');
    const pg = ['--postgres', url, '--data-dir', dataDir];
    expect((await hub(['booth', 'add', 'Relais de Gramat', ...pg])).status).toBe(0);
    const file = path.join(tempDir(), 'Relais-1.4.0.AppImage');
    const bytes = randomBytes(2 * 1024 * 1024 + 5);
    writeFileSync(file, bytes);
    const sha = createHash('sha512').update(bytes).digest('base64');
    const added = await hub(['release', 'add', file, '1.4.0', ...pg]);
    expect(added).toMatchObject({ status: 0, stderr: '' });
    expect(added.stdout).toBe(`Version 1.4.0 (Linux) publiée : Relais-1.4.0.AppImage, ${bytes.length} octets, sha512 ${sha}.\nDéployée à aucune borne : release rollout 1.4.0 --booths <id>.\n`);
    expect((await hub(['release', 'rollout', '1.4.0', '--booths', '1', '--percent', '10', ...pg])).stdout).toBe('Version 1.4.0 : bornes 1, puis 10 %.\n');
    expect((await hub(['release', 'list', ...pg])).stdout).toBe('Versions :\n  1.4.0\tlinux:Relais-1.4.0.AppImage\tbornes 1, puis 10 %\n');
    const unknown = await hub(['release', 'rollout', '1.4.0', '--booths', '7', ...pg]);
    expect([unknown.status, unknown.stderr]).toEqual([1, 'Borne(s) inconnue(s) : 7.\n']);
    expect((await hub(['release', 'add', file, '../1.4.0', ...pg])).stderr).toContain('Version invalide');
    const stores = await openPostgresStores(url);
    try {
      expect((await stores.updates.release('1.4.0'))?.files).toEqual([{ platform: 'linux', name: 'Relais-1.4.0.AppImage', size: bytes.length, sha512: sha }]);
      // 1 MiB chunks: the file is in PostgreSQL, served by any node (nothing was written on this machine's disk).
      const client = new Postgres.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM release_chunks');
      await client.end();
      expect(rows).toEqual([{ n: 3 }]);
    } finally {
      await stores.close();
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('says so in French when PostgreSQL cannot be reached', { timeout: 30_000 }, async () => {
    const r = await hub(['list', '--postgres', `postgres://relais@127.0.0.1:${await freeLoopbackPort()}/relais`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^PostgreSQL injoignable ou refusé : /);
  });

  it('still manages booths and agents in SQLite without --postgres, planners shown', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const sqlite = ['--data-dir', dataDir];
    expect((await hub(['booth', 'add', 'Locale', ...sqlite])).status).toBe(0);
    expect((await hub(['agent', 'add', '--org', 'FT', '--login', 'paul.ft', '--name', 'Paul', '--password', 'motdepasse-long', ...sqlite])).status).toBe(0);
    expect((await hub(['agent', 'planner', 'paul.ft', 'on', ...sqlite])).status).toBe(0);
    expect((await hub(['list', ...sqlite])).stdout).toBe('Bornes :\n  1\tLocale\nConseillers :\n  1\tFT\tpaul.ft\tPaul (planificateur)\n');
    expect(existsSync(path.join(dataDir, 'hub.sqlite'))).toBe(true);
  });
});
