// The booth's hub credential at rest: encrypted with the system's keychain when the shell offers one (Electron's
// `safeStorage`, passed in as a SecretCipher: services never import electron), else as a file only this user can
// read (mode 0600, the web shell's case). Written to a temporary file then renamed, so a crash leaves the old one or
// the new one. The token never goes to a log, an error message or a process's arguments.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger.js';

/** What Electron's `safeStorage` offers, and all this store uses of it. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface HubCredential {
  /** The hub's WebSocket URL (`wss://host/hub`). */
  url: string;
  /** The booth's token, as the hub's enrolment gave it. */
  token: string;
}

export type CredentialProtection = 'encrypted' | 'file';

export interface CredentialStore {
  /** The stored credential, or null when there is none or it cannot be read (logged with a code, never its content). */
  read(): (HubCredential & { protection: CredentialProtection }) | null;
  /** Stores it (replacing any), encrypted when the cipher allows; returns how it is kept. */
  write(credential: HubCredential): CredentialProtection;
  clear(): void;
}

export const CREDENTIAL_FILE = 'hub-credential.json';
const OWNER_ONLY = 0o600;

const Stored = z.discriminatedUnion('protection', [
  z.object({ version: z.literal(1), url: z.string().regex(/^wss?:\/\//).max(400), protection: z.literal('encrypted'), token: z.string().max(4_000) }).strict(),
  z.object({ version: z.literal(1), url: z.string().regex(/^wss?:\/\//).max(400), protection: z.literal('file'), token: z.string().min(1).max(400) }).strict(),
]);

export function createCredentialStore({ dataDir, cipher, logger }: { dataDir: string; cipher: SecretCipher | null; logger: Logger }): CredentialStore {
  const file = join(dataDir, CREDENTIAL_FILE);
  const log = logger.child({ scope: 'credential' });
  const encrypting = (): boolean => {
    try {
      return cipher?.isEncryptionAvailable() === true;
    } catch {
      return false;
    }
  };
  return {
    read() {
      if (!existsSync(file)) return null;
      try {
        const stored = Stored.parse(JSON.parse(readFileSync(file, 'utf8')));
        if (stored.protection === 'file') return { url: stored.url, token: stored.token, protection: 'file' };
        if (!cipher || !encrypting()) {
          log.error({ code: 'CREDENTIAL_LOCKED' }, 'the hub credential is encrypted and the system cannot decrypt it now');
          return null;
        }
        const token = cipher.decryptString(Buffer.from(stored.token, 'base64'));
        if (token === '' || token.length > 400) throw new Error('decrypted token out of shape');
        return { url: stored.url, token, protection: 'encrypted' };
      } catch (cause) {
        // The cause's message only: a parse error could quote the file, and the file holds the token.
        log.error({ code: 'CREDENTIAL_UNREADABLE', reason: cause instanceof z.ZodError ? 'shape' : 'read' }, 'the hub credential file cannot be read');
        return null;
      }
    },
    write({ url, token }) {
      const protection: CredentialProtection = encrypting() ? 'encrypted' : 'file';
      const stored = protection === 'encrypted' ? cipher!.encryptString(token).toString('base64') : token;
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: 1, url, protection, token: stored }), { mode: OWNER_ONLY });
      // The mode given to writeFileSync is filtered by the umask; and a leftover temp file could have another mode.
      chmodSync(temp, OWNER_ONLY);
      renameSync(temp, file);
      log.info({ code: 'CREDENTIAL_STORED', protection }, 'hub credential stored');
      return protection;
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
