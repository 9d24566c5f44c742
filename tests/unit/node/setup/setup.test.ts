// The first-start assistant through the kiosk's contract, against a real hub over loopback: enrolment with a code from
// the hub, the credential encrypted with a typed fake of Electron's safeStorage (or a 0600 file without it), the hub
// link switched, each step only at its turn, refusals with their codes, and the token in no log line.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainCipher, resolveFirstStart } from '../../../../electron/firstStart.js';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { CREDENTIAL_FILE, createCredentialStore, type SecretCipher } from '../../../../electron/services/setup/credentialStore.js';
import { createHubLink, type HubLink } from '../../../../electron/services/setup/hubLink.js';
import { createEnrolmentStore } from '../../../../server/enrolment/store.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { hubAddressOf } from '../../../../shared/enrolment.js';
import { ASSETS_DIR } from '../services/support.js';

/** Electron's safeStorage as far as the store uses it; its « ciphertext » is reversible but never the plain token. */
class FakeSafeStorage implements SecretCipher {
  constructor(private readonly available: boolean) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plain: string): Buffer {
    return Buffer.from(`fake-os-keychain:${Buffer.from(plain).reverse().toString('hex')}`);
  }
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString();
    if (!text.startsWith('fake-os-keychain:')) throw new Error('not ours');
    return Buffer.from(text.slice('fake-os-keychain:'.length), 'hex').reverse().toString();
  }
}

let hub: RunningHub;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'relais-setup-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:' });
});
afterAll(async () => {
  await hub.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Booth {
  kiosk: Kiosk;
  link: HubLink;
  logs: string[];
  dataDir: string;
  call(verb: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
}

function newBooth(cipher: SecretCipher | null, dataDir = tempDir(), dbFile = ':memory:'): Booth {
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const credentials = createCredentialStore({ dataDir, cipher, logger });
  const link = createHubLink({ url: 'ws://127.0.0.1:1/hub', token: 'demo-token', demo: true, consoleUrl: null });
  const kiosk = createKiosk({ dbFile, logger, assetsDir: ASSETS_DIR, printing: false, visio: { hub: link.current }, setup: { assistant: true, credentials, hubLink: link } });
  const call = async (verb: string, input: unknown = {}) =>
    (await dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger }, verb, input)) as Awaited<ReturnType<Booth['call']>>;
  return { kiosk, link, logs, dataDir, call };
}

const newCode = async () => (await createEnrolmentStore(hub.store).create('Mairie de Gramat', 'Gramat', Date.now())).code;

describe('the first-start assistant', () => {
  it('enrols with a code, keeps the token encrypted by the system, switches the hub link, then walks the steps in order', async () => {
    const booth = newBooth(new FakeSafeStorage(true));
    expect((await booth.call('setup.state')).value).toEqual({ step: 'hub', mode: null, hubAddress: null, credential: null });
    // A step out of turn is refused.
    expect((await booth.call('setup.site', { name: 'Mairie', commune: 'Gramat' })).error?.code).toBe('SETUP_STEP');

    const code = await newCode();
    const enrolled = await booth.call('setup.enrol', { hubAddress: hub.httpUrl, code });
    expect(enrolled.value).toEqual({ step: 'site', mode: 'hub', hubAddress: hub.httpUrl, credential: 'encrypted' });
    const connection = booth.link.current();
    expect(connection).toMatchObject({ url: hubAddressOf(hub.httpUrl)?.wsUrl, demo: false });
    expect((await booth.call('hub.connection')).value).toEqual(connection);
    const token = connection?.token ?? '';
    expect(hub.store.boothByToken(token)).toMatchObject({ name: 'Mairie de Gramat' });

    const file = path.join(booth.dataDir, CREDENTIAL_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ protection: 'encrypted' });
    expect(createCredentialStore({ dataDir: booth.dataDir, cipher: new FakeSafeStorage(true), logger: pino({ level: 'silent' }) }).read()).toMatchObject({ token, protection: 'encrypted' });

    expect((await booth.call('setup.enrol', { hubAddress: hub.httpUrl, code })).error?.code).toBe('SETUP_STEP');
    expect((await booth.call('setup.site', { name: 'Mairie de Gramat', commune: 'Gramat' })).value).toMatchObject({ step: 'mediator' });
    expect((await booth.call('app.info')).value).toMatchObject({ siteName: 'Mairie de Gramat', demo: false, demoPin: null });
    expect((await booth.call('setup.next', { from: 'printer' })).error?.code).toBe('NOT_UNLOCKED');
    expect((await booth.call('setup.firstMediator', { name: 'Aïcha', pin: '12' })).error?.code).toBe('INVALID_INPUT');
    expect((await booth.call('setup.firstMediator', { name: 'Aïcha', pin: '482913' })).value).toMatchObject({ step: 'printer' });
    // The demonstration's mediator no longer opens the booth; the new one's session is open for the next steps.
    const mediators = (await booth.call('mediators.list')).value as Array<{ name: string; active: boolean }>;
    expect(mediators.filter((m) => m.active).map((m) => m.name)).toEqual(['Aïcha']);
    expect((await booth.call('setup.next', { from: 'devices' })).error?.code).toBe('SETUP_STEP');
    expect((await booth.call('setup.next', { from: 'printer' })).value).toMatchObject({ step: 'devices' });
    expect((await booth.call('setup.next', { from: 'devices' })).value).toMatchObject({ step: 'done' });
    for (const [verb, input] of [['setup.demo', {}], ['setup.enrol', { hubAddress: hub.httpUrl, code: await newCode() }], ['setup.firstMediator', { name: 'Intrus', pin: '9999' }]] as const) {
      expect((await booth.call(verb, input)).error?.code).toBe('SETUP_STEP');
    }
    expect(booth.logs.join('\n')).not.toContain(token);
    expect(booth.logs.join('\n')).toContain('BOOTH_ENROLLED');
    booth.kiosk.close();
  });

  it('keeps the credential in a file only its user reads when the system offers no encryption (the web shell)', async () => {
    for (const cipher of [null, new FakeSafeStorage(false)]) {
      const booth = newBooth(cipher);
      expect((await booth.call('setup.enrol', { hubAddress: `  ${hub.httpUrl}/ `, code: await newCode() })).value).toMatchObject({ credential: 'file' });
      const file = path.join(booth.dataDir, CREDENTIAL_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // The next start reads it back: the booth connects to its hub, the assistant goes on at the site step.
      const again = resolveFirstStart({ config: { hub: null, demo: false, dataDir: booth.dataDir }, cipher, logger: pino({ level: 'silent' }) });
      expect(again).toMatchObject({ assistant: true, configured: { url: booth.link.current()?.url, token: booth.link.current()?.token } });
      booth.kiosk.close();
    }
  });

  it('says which code is wrong, used or expired, and which address is not a hub, and stays at the hub step', async () => {
    const booth = newBooth(null);
    const used = await newCode();
    expect((await newBooth(null).call('setup.enrol', { hubAddress: hub.httpUrl, code: used })).ok).toBe(true);
    const expired = (await createEnrolmentStore(hub.store).create('B', 'Figeac', Date.now() - 25 * 3_600_000)).code;
    const cases: Array<[unknown, string]> = [
      [{ hubAddress: hub.httpUrl, code: 'ZZZZ-ZZZZ' }, 'ENROL_CODE_UNKNOWN'],
      [{ hubAddress: hub.httpUrl, code: used }, 'ENROL_CODE_USED'],
      [{ hubAddress: hub.httpUrl, code: expired }, 'ENROL_CODE_EXPIRED'],
      [{ hubAddress: hub.httpUrl, code: '' }, 'ENROL_CODE_UNKNOWN'],
      [{ hubAddress: 'ftp://hub.example', code: used }, 'HUB_ADDRESS_INVALID'],
      [{ hubAddress: 'http://user:pw@127.0.0.1:1', code: used }, 'HUB_ADDRESS_INVALID'],
      [{ hubAddress: 'javascript:alert(1)', code: used }, 'HUB_ADDRESS_INVALID'],
      [{ hubAddress: '', code: used }, 'HUB_ADDRESS_INVALID'],
      [{ hubAddress: 'http://127.0.0.1:1', code: used }, 'HUB_UNREACHABLE'],
      [{ hubAddress: `${hub.httpUrl}/hub`, code: 'ZZZZ-ZZZZ' }, 'ENROL_CODE_UNKNOWN'],
      [{ hubAddress: hub.httpUrl, code: 'x'.repeat(65) }, 'INVALID_INPUT'],
      [{ hubAddress: hub.httpUrl, code: 12345678 }, 'INVALID_INPUT'],
      [{ hubAddress: hub.httpUrl, code: used, token: 'x' }, 'INVALID_INPUT'],
      [null, 'INVALID_INPUT'],
    ];
    for (const [input, code] of cases) expect((await booth.call('setup.enrol', input)).error?.code, JSON.stringify(input)).toBe(code);
    expect((await booth.call('setup.state')).value).toMatchObject({ step: 'hub' });
    booth.kiosk.close();
  });

  it('answers HUB_UNREACHABLE for a server that does not answer as a hub', async () => {
    const { createServer } = await import('node:http');
    const other = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>pas un hub</h1>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as { port: number }).port;
      const booth = newBooth(null);
      expect((await booth.call('setup.enrol', { hubAddress: `127.0.0.1:${port}`.replace(/^/, 'http://'), code: await newCode() })).error?.code).toBe('HUB_UNREACHABLE');
      booth.kiosk.close();
    } finally {
      other.close();
    }
  });

  it('asks for a code again when an enrolled booth lost its credential, then goes back where it was without redoing its site', async () => {
    const dataDir = tempDir();
    const dbFile = path.join(dataDir, 'relais.sqlite');
    const first = newBooth(null, dataDir, dbFile);
    await first.call('setup.enrol', { hubAddress: hub.httpUrl, code: await newCode() });
    await first.call('setup.site', { name: 'Mairie de Riom', commune: 'Riom-ès-Montagnes' });
    await first.call('setup.firstMediator', { name: 'Paul', pin: '731955' });
    await first.call('setup.next', { from: 'printer' });
    await first.call('setup.next', { from: 'devices' });
    first.kiosk.close();
    rmSync(path.join(dataDir, CREDENTIAL_FILE));

    const again = newBooth(null, dataDir, dbFile);
    expect((await again.call('setup.state')).value).toEqual({ step: 'hub', mode: null, hubAddress: null, credential: null });
    expect(again.logs.join('\n')).toContain('SETUP_CREDENTIAL_MISSING');
    again.kiosk.close();
    // A credential readable again (a keychain unlocked later): back where the booth was, without a code.
    writeFileSync(path.join(dataDir, CREDENTIAL_FILE), JSON.stringify({ version: 1, url: 'ws://127.0.0.1:1/hub', protection: 'file', token: 'rb_again' }), { mode: 0o600 });
    const unlocked = newBooth(null, dataDir, dbFile);
    expect((await unlocked.call('setup.state')).value).toMatchObject({ step: 'done', mode: 'hub' });
    unlocked.kiosk.close();
    rmSync(path.join(dataDir, CREDENTIAL_FILE));
    const relocked = newBooth(null, dataDir, dbFile);
    expect((await relocked.call('setup.state')).value).toMatchObject({ step: 'hub' });
    relocked.kiosk.close();
    const enrolled = newBooth(null, dataDir, dbFile);
    expect((await enrolled.call('setup.enrol', { hubAddress: hub.httpUrl, code: await newCode() })).value).toMatchObject({ step: 'done', mode: 'hub' });
    expect((await enrolled.call('app.info')).value).toMatchObject({ siteName: 'Mairie de Riom' });
    enrolled.kiosk.close();
  });

  it('chooses the demonstration at the first step: done, on the embedded hub', async () => {
    const booth = newBooth(null);
    expect((await booth.call('setup.demo')).value).toMatchObject({ step: 'done', mode: 'demo' });
    expect(booth.link.current()).toMatchObject({ demo: true });
    booth.kiosk.close();
  });

  it('refuses every step on a booth whose hub is configured outside the assistant', async () => {
    const kiosk = createKiosk({ dbFile: ':memory:', logger: pino({ level: 'silent' }), assetsDir: ASSETS_DIR, printing: false });
    const call = (verb: string, input: unknown = {}) => dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: pino({ level: 'silent' }) }, verb, input);
    expect(await call('setup.state')).toEqual({ ok: true, value: { step: 'done', mode: 'configured', hubAddress: null, credential: null } });
    expect(await call('setup.demo')).toMatchObject({ ok: false, error: { code: 'SETUP_STEP' } });
    kiosk.close();
  });
});

describe('the credential file', () => {
  it('reads nothing from a damaged, foreign or undecryptable file, and says so in the log without its content', () => {
    const dataDir = tempDir();
    const logs: string[] = [];
    const logger = pino({}, { write: (l: string) => void logs.push(l) });
    const file = path.join(dataDir, CREDENTIAL_FILE);
    const store = createCredentialStore({ dataDir, cipher: new FakeSafeStorage(true), logger });
    for (const content of ['{', 'null', '{"version":1,"url":"ws://h/hub","protection":"file","token":"secret-in-file","extra":1}', '{"version":2,"url":"ws://h","protection":"file","token":"secret-in-file"}', '{"version":1,"url":"ws://h/hub","protection":"encrypted","token":"c2VjcmV0LWluLWZpbGU="}']) {
      writeFileSync(file, content);
      expect(store.read()).toBeNull();
    }
    expect(logs.join('\n')).not.toContain('secret-in-file');
    expect(logs.join('\n')).toContain('CREDENTIAL_UNREADABLE');
    store.write({ url: 'wss://hub.example/hub', token: 'rb_token' });
    expect(createCredentialStore({ dataDir, cipher: new FakeSafeStorage(false), logger }).read()).toBeNull();
    expect(logs.join('\n')).toContain('CREDENTIAL_LOCKED');
  });
});

describe('the keychain cipher', () => {
  it('does not count Linux without a keyring (safeStorage backend basic_text) as encryption; elsewhere follows safeStorage', () => {
    const storage = (backend: string, available = true) => Object.assign(new FakeSafeStorage(available), { getSelectedStorageBackend: () => backend });
    expect(keychainCipher(storage('basic_text'), 'linux').isEncryptionAvailable()).toBe(false);
    expect(keychainCipher(storage('gnome_libsecret'), 'linux').isEncryptionAvailable()).toBe(true);
    expect(keychainCipher(storage('kwallet5', false), 'linux').isEncryptionAvailable()).toBe(false);
    expect(keychainCipher(storage('unknown'), 'win32').isEncryptionAvailable()).toBe(true);
    const cipher = keychainCipher(storage('gnome_libsecret'), 'linux');
    expect(cipher.decryptString(cipher.encryptString('rb_secret'))).toBe('rb_secret');
  });

  it('starts without the assistant when the environment names the hub or asks for the plain demonstration', () => {
    const dataDir = tempDir();
    const logger = pino({ level: 'silent' });
    expect(resolveFirstStart({ config: { hub: { url: 'wss://h/hub', token: 't' }, demo: false, dataDir }, cipher: null, logger })).toMatchObject({ assistant: false, configured: { url: 'wss://h/hub' } });
    expect(resolveFirstStart({ config: { hub: null, demo: true, dataDir }, cipher: null, logger })).toMatchObject({ assistant: false, configured: null });
    expect(resolveFirstStart({ config: { hub: null, demo: false, dataDir }, cipher: null, logger })).toMatchObject({ assistant: true, configured: null });
  });
});
