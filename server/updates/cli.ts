// `npm run hub -- release …`: registers a release's installer and sets its rollout, for a department's IT: on the hub's
// machine (the installer copied into the hub's data folder, SQLite), or for a hub across machines from any machine
// reaching its PostgreSQL (`--postgres`: the installer stored in it). The running hub reads both at the next request.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ReleaseFileName, ReleaseVersion, Rollout, platformOfFile } from '../../shared/updates.js';
import type { HubStore } from '../store.js';
import { diskReleaseFiles, type ReleaseFiles } from './files.js';
import { newestFirst } from './rollout.js';
import { createSqliteUpdateStore, type UpdateStore } from './store.js';

export const RELEASE_USAGE = `  npm run hub -- release add <fichier .AppImage | .deb | .exe> <version>   (publie l'installateur, déployé à aucune borne)
  npm run hub -- release rollout <version> [--booths 3,7] [--percent 10] [--all] [--pause | --resume]
  npm run hub -- release list`;

export interface ReleaseCliFlags {
  booths?: string | undefined;
  percent?: string | undefined;
  all?: boolean | undefined;
  pause?: boolean | undefined;
  resume?: boolean | undefined;
}

/** Where the `release` commands act: an update store, the release files, and the booths known. */
export interface ReleaseTarget {
  updates: UpdateStore;
  files: ReleaseFiles;
  boothExists(id: number): Promise<boolean>;
}

/** The one-machine hub's: its SQLite, and the files in `<dataDir>/releases` (where the hub serves them from). */
export function hubReleaseTarget(store: HubStore, dataDir: string): ReleaseTarget {
  return { updates: createSqliteUpdateStore(store.db), files: diskReleaseFiles(path.join(dataDir, 'releases')), boothExists: async (id) => store.boothExists(id) };
}

/** Runs one `release` command; returns the text to print, or throws an Error whose message is the French reason. */
export async function releaseCommand(target: ReleaseTarget, args: readonly (string | undefined)[], flags: ReleaseCliFlags, now: number): Promise<string> {
  const { updates, files } = target;
  const [sub, first, second] = args;
  if (sub === 'add') {
    if (!first || !second) throw new Error(`release add <fichier> <version>`);
    if (!ReleaseVersion.safeParse(second).success) throw new Error(`Version invalide : « ${second.slice(0, 40)} » (attendu : 1.4.0 ou 1.5.0-beta.1).`);
    const name = path.basename(first);
    if (!ReleaseFileName.safeParse(name).success) throw new Error(`Nom de fichier refusé : lettres, chiffres, point, tiret et souligné seulement.`);
    const platform = platformOfFile(name);
    if (!platform) throw new Error('Installateur inconnu : .AppImage ou .deb (Linux), .exe (Windows).');
    const info = await stat(first).catch(() => null);
    if (!info?.isFile()) throw new Error(`Fichier introuvable : ${first}`);
    const stored = await files.store(second, name, createReadStream(first), Number.MAX_SAFE_INTEGER);
    await updates.addReleaseFile(second, { platform, name, ...stored }, now);
    return `Version ${second} (${platform === 'win' ? 'Windows' : 'Linux'}) publiée : ${name}, ${stored.size} octets, sha512 ${stored.sha512}.\nDéployée à aucune borne : release rollout ${second} --booths <id>.\n`;
  }
  if (sub === 'rollout') {
    if (!first) throw new Error('release rollout <version> [--booths 3,7] [--percent 10] [--all] [--pause | --resume]');
    const release = await updates.release(first);
    if (!release) throw new Error(`Version ${first.slice(0, 40)} inconnue (release list).`);
    const booths = flags.booths === undefined ? release.rollout.booths : flags.booths.split(',').filter((s) => s.trim() !== '').map((s) => (/^\s*[1-9]\d{0,8}\s*$/.test(s) ? Number(s) : NaN));
    const percent = flags.percent === undefined ? release.rollout.percent : /^\d{1,3}$/.test(flags.percent) ? Number(flags.percent) : NaN;
    const parsed = Rollout.safeParse({
      booths,
      percent,
      all: flags.all ?? release.rollout.all,
      paused: flags.pause ? true : flags.resume ? false : release.rollout.paused,
    });
    if (!parsed.success) throw new Error('Déploiement invalide : --booths attend des numéros de borne (3,7), --percent un entier de 0 à 100.');
    const unknown: number[] = [];
    for (const id of parsed.data.booths) if (!(await target.boothExists(id))) unknown.push(id);
    if (unknown.length > 0) throw new Error(`Borne(s) inconnue(s) : ${unknown.join(', ')}.`);
    await updates.setRollout(first, parsed.data, now);
    return `Version ${first} : ${describe(parsed.data)}.\n`;
  }
  if (sub === 'list') {
    const lines = newestFirst(await updates.releases()).map((r) => `  ${r.version}\t${r.files.map((f) => `${f.platform}:${f.name}`).join(' ')}\t${describe(r.rollout)}`);
    return `Versions :\n${lines.join('\n')}\n`;
  }
  throw new Error(RELEASE_USAGE);
}

function describe(r: Rollout): string {
  const stage = r.all ? 'toutes les bornes' : `bornes ${r.booths.length > 0 ? r.booths.join(', ') : 'aucune choisie'}, puis ${r.percent} %`;
  return r.paused ? `${stage} — en pause` : stage;
}
