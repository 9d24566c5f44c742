// The node's command line refuses, in French and before anything starts, what cannot make a hub across machines.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeIdFor } from '../../../../server/cluster/node.js';

function hub(args: string[]): Promise<{ status: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.RELAIS_REDIS_URL;
  delete env.RELAIS_POSTGRES_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env, encoding: 'utf8', timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe('npm run hub as a node of a hub across machines', () => {
  it.each([
    [['--redis', 'redis://127.0.0.1:1'], 'demande aussi PostgreSQL'],
    [['--postgres', 'postgres://x@127.0.0.1:1/relais'], 'donnez aussi --redis'],
    [['--redis', 'http://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r'], 'Adresse Redis invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'mysql://x@127.0.0.1/r'], 'Adresse PostgreSQL invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'pas une adresse'], 'Adresse PostgreSQL invalide'],
    // Passwords written into the address as they are: the host would be `ss`, or the path would hold the server.
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://relais:p@ss/w#rd@postgres:5432/relais'], 'Adresse PostgreSQL invalide : un « @ » suit le nom d'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://relais:a?b@postgres:5432/relais'], 'Adresse PostgreSQL invalide'],
    [['--redis', 'redis://:a@b/c@127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r'], 'Adresse Redis invalide : un « @ » suit le nom d'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--demo'], 'démonstration'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--link-port', '70000'], 'Port du lien entre nœuds invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--link-port=-1'], 'Port du lien entre nœuds invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--link-port', '-1'], 'Ligne de commande invalide'],
    [['--nimporte-quoi'], 'Ligne de commande invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--link-address', 'a b;rm -rf'], 'Adresse du lien entre nœuds invalide'],
    [['--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://x@127.0.0.1:1/r', '--link-address', `${'a'.repeat(5000)}!`], 'Adresse du lien entre nœuds invalide'],
  ])('%j is refused: %s', async (args, message) => {
    const r = await hub(args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('names a node for one run only, and refuses names that would break its keys', () => {
    const a = nodeIdFor('lyon-1');
    expect(a).toMatch(/^lyon-1\.[0-9a-f]{6}$/);
    expect(nodeIdFor('lyon-1')).not.toBe(a);
    for (const bad of ['', 'a b', 'a~b', 'a:b', 'x'.repeat(49), '../etc', 'nœud', 'a\nb']) expect(() => nodeIdFor(bad)).toThrow(/Nom de nœud invalide/);
  });
});
