// `npm run hub -- …`: runs the hub, or manages its booths and agents in its database.
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { IceServer } from '../shared/protocol.js';
import { AGGREGATE_LIMIT_CEILING, AggregateLimitsSchema, DEFAULT_AGGREGATE_LIMITS, type AggregateLimits } from './aggregates/index.js';
import { createSqliteAppointmentStore, type AppointmentStore } from './appointments/index.js';
import { ICAL_PREFIX, newIcalSecret } from './appointments/ical.js';
import { hashPassword } from './auth.js';
import { fleetOptionsOf } from './fleet/cliOptions.js';
import type { FleetOptions } from './fleet/hubFleet.js';
import { publicOrigin } from './enrolment/index.js';
import { trustedProxies } from './http/clientAddress.js';
import { clusterUrlError, serveClusterNode } from './cluster/serve.js';
import { startHub } from './hub.js';
import { openPostgresStores } from './sharedStore/postgres.js';
import { sqliteEvaluationStore, type EvaluationStore } from './sharedStore/evaluation.js';
import { sqliteSharedStore } from './sharedStore/sqlite.js';
import type { SharedHubStore } from './sharedStore/types.js';
import { RELEASE_USAGE, hubReleaseTarget, releaseCommand } from './updates/cli.js';
import { WEEKDAY_HOURS, createHubStore, openHubDb, type HubStore } from './store.js';

const USAGE = `Utilisation :
  npm run hub -- [--port 8787] [--host 127.0.0.1] [--data-dir ./hub-data] [--config hub.yaml] [--static-dir dist/agent] [--demo]
                 [--max-weekly-count 10000] [--max-weekly-total 20000]   (bornes des comptages hebdomadaires d'une borne)
                 [--smtp-url smtp://user:pass@smtp.exemple.fr:587] [--alert-to coordination@exemple.fr] [--alert-from …]
                 [--alert-webhook https://…] [--expected-version 1.4.0]   (alertes des bornes ; aussi RELAIS_SMTP_URL,
                 RELAIS_ALERT_TO, RELAIS_ALERT_FROM, RELAIS_ALERT_WEBHOOK)
                 [--offline-alert-ms 900000] [--printer-alert-ms 600000]   (délais avant les alertes « hors ligne » et
                 « imprimante en panne », en ms ; aussi RELAIS_OFFLINE_ALERT_MS, RELAIS_PRINTER_ALERT_MS)
                 [--public-url https://relais.exemple.fr]   (adresse du hub pour les bornes, donnée avec chaque code
                 d'enrôlement ; derrière un proxy TLS ; aussi RELAIS_PUBLIC_URL ou publicUrl dans la configuration)
                 [--trusted-proxy 127.0.0.1,10.0.0.2]   (proxys dont l'en-tête X-Forwarded-For est cru, pour compter les
                 essais de mots de passe et de codes par client ; aussi RELAIS_TRUSTED_PROXIES ou trustedProxies)
  npm run hub -- --redis redis://… --postgres postgres://… [--node-id nom] [--port …] [--trusted-proxy …]
                 (un nœud d'un hub sur plusieurs machines : appels, présence et signalisation partagés par Redis,
                 comptes et journal des appels dans PostgreSQL ; aussi RELAIS_REDIS_URL, RELAIS_POSTGRES_URL, RELAIS_NODE_ID)
                 [--link-port 8788] [--link-address 10.0.0.11]   (lien direct entre nœuds pour la signalisation : port
                 d'écoute, 0 = libre, et adresse où les autres nœuds joignent celui-ci ; aussi RELAIS_LINK_PORT,
                 RELAIS_LINK_ADDRESS)
  npm run hub -- booth add "Nom du site"         (affiche le jeton une seule fois)
  npm run hub -- booth revoke <id>
  npm run hub -- agent add --org CAF --login x --name "Prénom Nom" [--password …]
  npm run hub -- agent revoke <id | login>
  npm run hub -- agent planner <login> on|off    (droit de publier les créneaux de rendez-vous de son organisme)
  npm run hub -- agent ical <login> new|revoke [--public-url https://hub.example]   (adresse du calendrier, affichée une seule fois)
  npm run hub -- coordinator add --login x [--password …]   (coordinateur départemental : /coordinator)
  npm run hub -- list
  (booth add|revoke, agent add|revoke|planner|ical, coordinator add, list et release agissent sur le PostgreSQL d'un hub
   sur plusieurs machines avec --postgres postgres://… ou RELAIS_POSTGRES_URL ; release add y range l'installateur)
${RELEASE_USAGE}
Configuration (YAML, optionnelle) : iceServers: [{ urls, username, credential }], ringTimeoutS, heartbeatS, port, host, publicUrl, trustedProxies,
  maxWeeklyCount (un organisme et un type de service, une semaine, une borne ; défaut ${DEFAULT_AGGREGATE_LIMITS.maxCount}),
  maxWeeklyTotal (total d'une semaine d'une borne ; défaut ${DEFAULT_AGGREGATE_LIMITS.maxWeekTotal}) ; au plus ${AGGREGATE_LIMIT_CEILING} chacun.`;

const HubConfig = z
  .object({
    iceServers: z.array(IceServer).default([]),
    ringTimeoutS: z.number().int().positive().optional(),
    heartbeatS: z.number().int().positive().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().optional(),
    publicUrl: z.string().max(2048).optional(),
    trustedProxies: z.array(z.string().max(64)).max(64).optional(),
    maxWeeklyCount: AggregateLimitsSchema.shape.maxCount.optional(),
    maxWeeklyTotal: AggregateLimitsSchema.shape.maxWeekTotal.optional(),
  })
  .strict();

const { values, positionals } = parseCommandLine({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string', default: './hub-data' },
    config: { type: 'string' },
    'static-dir': { type: 'string' },
    'max-weekly-count': { type: 'string' },
    'max-weekly-total': { type: 'string' },
    'smtp-url': { type: 'string' },
    'alert-to': { type: 'string' },
    'alert-from': { type: 'string' },
    'alert-webhook': { type: 'string' },
    'expected-version': { type: 'string' },
    'offline-alert-ms': { type: 'string' },
    'printer-alert-ms': { type: 'string' },
    demo: { type: 'boolean', default: false },
    org: { type: 'string' },
    login: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    'public-url': { type: 'string' },
    'trusted-proxy': { type: 'string' },
    redis: { type: 'string' },
    postgres: { type: 'string' },
    'node-id': { type: 'string' },
    'link-port': { type: 'string' },
    'link-address': { type: 'string' },
    booths: { type: 'string' },
    percent: { type: 'string' },
    all: { type: 'boolean' },
    pause: { type: 'boolean' },
    resume: { type: 'boolean' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

/** The command line read, or a French sentence and exit 1 (an unknown option, a value like `-1` read as an option…). */
function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const detail = (e as Error).message.split('\n')[0]!.slice(0, 200);
    process.stderr.write(`Ligne de commande invalide : ${detail}\nPour une valeur qui commence par un tiret : --option=valeur. Aide : npm run hub -- --help\n`);
    process.exit(1);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function openStore(): HubStore {
  const dir = values['data-dir'];
  mkdirSync(dir, { recursive: true });
  const store = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
  store.seedOrganisations(WEEKDAY_HOURS);
  return store;
}

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('Mot de passe du conseiller : ');
  rl.close();
  return answer;
}

/** The commands that also act on PostgreSQL (--postgres): booths, agents and coordinators. */
const ACCOUNT_COMMANDS = ['booth add', 'booth revoke', 'agent add', 'agent revoke', 'coordinator add', 'list'];
const isAccountCommand = (command: string, sub: string | undefined): boolean => ACCOUNT_COMMANDS.includes(command === 'list' ? command : `${command} ${sub}`);
/** An agent's rights on visio appointments, on either store too. */
const APPOINTMENT_COMMANDS = ['agent planner', 'agent ical'];
const isAppointmentCommand = (command: string, sub: string | undefined): boolean => APPOINTMENT_COMMANDS.includes(`${command} ${sub}`);

/**
 * The commands on booths and agents, written once over the shared store: the hub's SQLite, or PostgreSQL (a hub across
 * machines). `appointments`: who may publish appointment slots, shown by `list`.
 */
async function manageAccounts(
  store: SharedHubStore,
  evaluation: EvaluationStore,
  appointments: Pick<AppointmentStore, 'isPlanner'>,
  command: string,
  sub: string | undefined,
  arg: string | undefined,
  now: number,
): Promise<void> {
  if (command === 'coordinator' && sub === 'add') {
    const { login } = values;
    if (!login) fail('coordinator add --login x [--password …]');
    const password = values.password ?? (await askPassword());
    if (password.length < 8) fail('Mot de passe trop court (8 caractères au moins).');
    const id = await evaluation.addCoordinator(login, await hashPassword(password), now);
    process.stdout.write(`Coordinateur n° ${id} (${login}) enregistré.\n`);
  } else if (command === 'booth' && sub === 'add') {
    if (!arg) fail('Donnez le nom du site : booth add "Nom du site"');
    const { id, token } = await store.addBooth(arg, now);
    process.stdout.write(`Borne n° ${id} « ${arg} » créée.\nJeton (affiché une seule fois, à saisir dans les réglages de la borne) :\n${token}\n`);
  } else if (command === 'booth' && sub === 'revoke') {
    const id = Number(arg);
    if (!Number.isInteger(id)) fail('booth revoke <id>');
    process.stdout.write((await store.revokeBooth(id, now)) ? `Borne n° ${id} révoquée.\n` : `Borne n° ${id} introuvable ou déjà révoquée.\n`);
  } else if (command === 'agent' && sub === 'add') {
    const { org, login, name } = values;
    if (!org || !login || !name) fail('agent add --org CAF --login x --name "Prénom Nom" [--password …]');
    const password = values.password ?? (await askPassword());
    if (password.length < 8) fail('Mot de passe trop court (8 caractères au moins).');
    // Said in French before the insert (the database's own refusal is in English, with a stack).
    if (await store.agentByLogin(login)) fail(`L'identifiant « ${login} » est déjà pris : choisissez-en un autre.`);
    const id = await store.addAgent({ organisation: org, login, displayName: name, passwordHash: await hashPassword(password) }, now);
    process.stdout.write(`Conseiller n° ${id} (${org}, ${login}) créé.\n`);
  } else if (command === 'agent' && sub === 'revoke') {
    if (!arg) fail('agent revoke <id | login>');
    const agent = /^\d+$/.test(arg) ? await store.agentById(Number(arg)) : await store.agentByLogin(arg);
    if (!agent) fail(`Conseiller ${arg} introuvable.`);
    process.stdout.write((await store.revokeAgent(agent.id, now)) ? `Conseiller ${agent.login} révoqué (sessions fermées).\n` : `Conseiller ${agent.login} déjà révoqué.\n`);
  } else {
    process.stdout.write('Bornes :\n');
    for (const b of await store.listBooths()) process.stdout.write(`  ${b.id}\t${b.name}${b.demo ? ' (démo)' : ''}${b.revoked ? ' — révoquée' : ''}\n`);
    process.stdout.write('Conseillers :\n');
    for (const a of await store.listAgents()) {
      const planner = (await appointments.isPlanner(a.id)) ? ' (planificateur)' : '';
      process.stdout.write(`  ${a.id}\t${a.organisation}\t${a.login}\t${a.displayName}${a.demo ? ' (démo)' : ''}${planner}${a.revoked ? ' — révoqué' : ''}\n`);
    }
  }
}

/**
 * `agent planner <login> on|off` and `agent ical <login> new|revoke`, over the shared store (the agent found by login)
 * and the appointments' store of the same database.
 */
async function manageAppointmentRights(
  store: SharedHubStore,
  appointments: Pick<AppointmentStore, 'setPlanner' | 'setIcalHash'>,
  sub: string | undefined,
  arg: string | undefined,
): Promise<void> {
  const [, , , choice] = positionals;
  const wanted = sub === 'planner' ? ['on', 'off'] : ['new', 'revoke'];
  if (!arg || !choice || !wanted.includes(choice)) fail(`agent ${sub} <login> ${wanted.join('|')}`);
  const agent = await store.agentByLogin(arg);
  if (!agent) fail(`Conseiller ${arg} introuvable.`);
  if (sub === 'planner') {
    await appointments.setPlanner(agent.id, choice === 'on');
    process.stdout.write(choice === 'on' ? `Conseiller ${agent.login} : peut publier les créneaux (${agent.organisation}).\n` : `Conseiller ${agent.login} : ne publie plus de créneaux.\n`);
  } else if (choice === 'new') {
    const { secret, hash } = newIcalSecret();
    await appointments.setIcalHash(agent.id, hash);
    const base = (values['public-url'] ?? process.env.RELAIS_PUBLIC_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
    process.stdout.write(`Calendrier de ${agent.login} (adresse affichée une seule fois ; l'ancienne ne marche plus) :\n${base}${ICAL_PREFIX}${secret}.ics\n`);
  } else {
    await appointments.setIcalHash(agent.id, null);
    process.stdout.write(`Calendrier de ${agent.login} révoqué : son adresse ne marche plus.\n`);
  }
}

/** The same commands on the PostgreSQL of a hub across machines (its organisations seeded as in SQLite). */
async function managePostgres(url: string, command: string, sub: string | undefined, arg: string | undefined): Promise<void> {
  const release = command === 'release';
  if (!isAccountCommand(command, sub) && !isAppointmentCommand(command, sub) && !release) {
    fail(
      `Avec --postgres (ou RELAIS_POSTGRES_URL), seules ces commandes agissent sur PostgreSQL : ${[...ACCOUNT_COMMANDS, ...APPOINTMENT_COMMANDS, 'release'].join(', ')}. Les autres demandent le hub sur SQLite (--data-dir, sans --postgres).`,
    );
  }
  const stores = await openPostgresStores(url).catch((e: unknown) => fail(`PostgreSQL injoignable ou refusé : ${(e as Error).message}`));
  try {
    await stores.store.seedOrganisations(WEEKDAY_HOURS);
    if (release) {
      // The installer goes into PostgreSQL: every node serves it, whichever machine this runs on.
      const target = { updates: stores.updates, files: stores.releaseFiles, boothExists: (id: number) => stores.store.boothExists(id) };
      process.stdout.write(await releaseCommand(target, positionals.slice(1), values, Date.now()).catch((cause: unknown) => fail((cause as Error).message)));
    } else if (isAppointmentCommand(command, sub)) {
      await manageAppointmentRights(stores.store, stores.appointments, sub, arg);
    } else {
      await manageAccounts(stores.store, stores.evaluation, stores.appointments, command, sub, arg, Date.now());
    }
  } finally {
    await stores.close();
  }
}

async function manage(command: string, sub: string | undefined, arg: string | undefined): Promise<void> {
  const postgresUrl = values.postgres ?? process.env.RELAIS_POSTGRES_URL;
  if (postgresUrl !== undefined) return managePostgres(postgresUrl, command, sub, arg);
  const store = openStore();
  const now = Date.now();
  try {
    if (isAccountCommand(command, sub)) {
      await manageAccounts(sqliteSharedStore(store), sqliteEvaluationStore(store.db), createSqliteAppointmentStore(store.db), command, sub, arg, now);
    } else if (isAppointmentCommand(command, sub)) {
      await manageAppointmentRights(sqliteSharedStore(store), createSqliteAppointmentStore(store.db), sub, arg);
    } else if (command === 'release') {
      try {
        process.stdout.write(await releaseCommand(hubReleaseTarget(store, values['data-dir']), positionals.slice(1), values, now));
      } catch (cause) {
        fail((cause as Error).message);
      }
    } else {
      fail(USAGE);
    }
  } finally {
    store.db.close();
  }
}

/** The bounds on weekly counts: the flags, else the configuration, else the defaults. */
function aggregateLimits(config: z.infer<typeof HubConfig>): AggregateLimits {
  const flag = (name: 'max-weekly-count' | 'max-weekly-total'): number | undefined => (values[name] === undefined ? undefined : Number(values[name]));
  const limits = AggregateLimitsSchema.safeParse({
    maxCount: flag('max-weekly-count') ?? config.maxWeeklyCount ?? DEFAULT_AGGREGATE_LIMITS.maxCount,
    maxWeekTotal: flag('max-weekly-total') ?? config.maxWeeklyTotal ?? DEFAULT_AGGREGATE_LIMITS.maxWeekTotal,
  });
  if (!limits.success) fail(`Bornes des comptages hebdomadaires invalides : des entiers de 1 à ${AGGREGATE_LIMIT_CEILING} sont attendus.`);
  return limits.data;
}

/** The fleet's alert settings: the flags, else the environment (a password in the SMTP URL stays out of `ps`). */
function fleetOptions(): FleetOptions {
  const r = fleetOptionsOf({
    smtpUrl: values['smtp-url'] ?? process.env.RELAIS_SMTP_URL,
    alertTo: values['alert-to'] ?? process.env.RELAIS_ALERT_TO,
    alertFrom: values['alert-from'] ?? process.env.RELAIS_ALERT_FROM,
    webhookUrl: values['alert-webhook'] ?? process.env.RELAIS_ALERT_WEBHOOK,
    expectedVersion: values['expected-version'],
    offlineAlertMs: values['offline-alert-ms'] ?? process.env.RELAIS_OFFLINE_ALERT_MS,
    printerAlertMs: values['printer-alert-ms'] ?? process.env.RELAIS_PRINTER_ALERT_MS,
  });
  if (typeof r === 'string') fail(r);
  return r;
}

async function serve(): Promise<void> {
  const config = values.config ? HubConfig.parse(parseYaml(readFileSync(values.config, 'utf8')) ?? {}) : HubConfig.parse({});
  const logger = pino({ level: process.env.RELAIS_LOG_LEVEL ?? 'info', base: { app: 'relais-hub' } }, pino.destination(2));
  const typedPublicUrl = values['public-url'] ?? process.env.RELAIS_PUBLIC_URL ?? config.publicUrl;
  const publicUrl = typedPublicUrl === undefined ? undefined : publicOrigin(typedPublicUrl);
  if (publicUrl && 'error' in publicUrl) fail(publicUrl.error);
  const proxies = trustedProxies(values['trusted-proxy'] ?? process.env.RELAIS_TRUSTED_PROXIES ?? config.trustedProxies ?? []);
  if ('error' in proxies) fail(proxies.error);
  const redisUrl = values.redis ?? process.env.RELAIS_REDIS_URL;
  if (redisUrl !== undefined) return serveNode(config, redisUrl, [...proxies.proxies], logger, publicUrl?.origin);
  if (values.postgres !== undefined) fail('--postgres sert un hub sur plusieurs machines : donnez aussi --redis redis://… (ou RELAIS_REDIS_URL).');
  const hub = await startHub({
    host: values.host ?? config.host ?? '127.0.0.1',
    port: Number(values.port ?? config.port ?? 8787),
    dataDir: values['data-dir'],
    logger,
    iceServers: config.iceServers,
    ringTimeoutMs: (config.ringTimeoutS ?? 60) * 1000,
    heartbeatMs: (config.heartbeatS ?? 30) * 1000,
    ...(values['static-dir'] ? { staticDir: values['static-dir'] } : {}),
    demo: values.demo,
    aggregateLimits: aggregateLimits(config),
    fleet: fleetOptions(),
    ...(publicUrl ? { publicUrl: publicUrl.origin } : {}),
    trustedProxies: [...proxies.proxies],
  });
  process.stdout.write(`Hub prêt : ${hub.url}${values['static-dir'] ? ` — console des conseillers : ${hub.httpUrl}/` : ''}\n`);
  if (hub.demo) {
    process.stdout.write(`DÉMONSTRATION — jeton de la borne de démo : ${hub.demo.boothToken}\n`);
    for (const a of hub.demo.agents) process.stdout.write(`DÉMONSTRATION — ${a.organisation} : ${a.login} / ${a.password}\n`);
  }
  const stop = (): void => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A host name (labels of letters, digits and dashes) or an IP address (v4, or v6 without brackets). */
const linkAddressOk = (a: string): boolean =>
  net.isIP(a) !== 0 || (a.length <= 253 && a.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label)));

/** One node of a hub across machines (server/cluster/): Redis and PostgreSQL both needed. */
async function serveNode(config: z.infer<typeof HubConfig>, redisUrl: string, proxies: string[], logger: pino.Logger, publicUrl: string | undefined): Promise<void> {
  const postgresUrl = values.postgres ?? process.env.RELAIS_POSTGRES_URL;
  if (postgresUrl === undefined) fail('Un hub sur plusieurs machines demande aussi PostgreSQL : --postgres postgres://… (ou RELAIS_POSTGRES_URL).');
  if (values.demo) fail('Le mode démonstration est celui du hub sur une machine : sans --redis.');
  const invalid = clusterUrlError(redisUrl, postgresUrl);
  if (invalid) fail(invalid);
  const nodeName = values['node-id'] ?? process.env.RELAIS_NODE_ID;
  const linkPortText = values['link-port'] ?? process.env.RELAIS_LINK_PORT ?? '0';
  const linkPort = /^[0-9]{1,5}$/.test(linkPortText) ? Number(linkPortText) : NaN;
  if (!(linkPort <= 65535)) fail(`Port du lien entre nœuds invalide : « ${linkPortText.slice(0, 40)} » (un nombre de 0 à 65535).`);
  const linkAddress = values['link-address'] ?? process.env.RELAIS_LINK_ADDRESS;
  if (linkAddress !== undefined && !linkAddressOk(linkAddress)) fail(`Adresse du lien entre nœuds invalide : « ${linkAddress.slice(0, 64)} » (un nom d'hôte ou une adresse IP).`);
  const node = await serveClusterNode({
    redisUrl,
    postgresUrl,
    ...(nodeName ? { nodeName } : {}),
    host: values.host ?? config.host ?? '127.0.0.1',
    port: Number(values.port ?? config.port ?? 8787),
    iceServers: config.iceServers,
    ringTimeoutMs: (config.ringTimeoutS ?? 60) * 1000,
    heartbeatMs: (config.heartbeatS ?? 30) * 1000,
    ...(values['static-dir'] ? { staticDir: values['static-dir'] } : {}),
    trustedProxies: proxies,
    link: { port: linkPort, ...(linkAddress ? { advertise: linkAddress } : {}) },
    fleet: fleetOptions(),
    ...(publicUrl ? { publicUrl } : {}),
    logger,
  }).catch((e: unknown) => fail(`Le nœud n'a pas démarré : ${(e as Error).message}`));
  process.stdout.write(`Nœud ${node.nodeId} prêt : ${node.url}\n`);
  const stop = (): void => {
    node.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const [command, sub, arg] = positionals;
if (values.help) process.stdout.write(`${USAGE}\n`);
else if (command === undefined || command === 'serve') await serve();
else await manage(command, sub, arg);
