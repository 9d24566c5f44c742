// Which way a booth starts, for both shells: its hub configured in the environment (no assistant), the plain
// demonstration (RELAIS_DEMO=1, no assistant), or the first-start assistant, with the credential it stored when it
// was enrolled (electron/services/setup/). Electron passes its `safeStorage` as the cipher; the web shell passes none.
import type { KioskConfig } from './kioskConfig.js';
import type { Logger } from './services/logger.js';
import { createCredentialStore, type CredentialStore, type SecretCipher } from './services/setup/credentialStore.js';

export interface FirstStart {
  /** Whether the first-start assistant runs (it may be finished already: its step is in the kiosk's database). */
  assistant: boolean;
  credentials: CredentialStore;
  /** The hub to connect to: the environment's, else the enrolled one; null: the embedded demonstration hub. */
  configured: { url: string; token: string } | null;
}

export function resolveFirstStart({ config, cipher, logger }: { config: Pick<KioskConfig, 'hub' | 'demo' | 'dataDir'>; cipher: SecretCipher | null; logger: Logger }): FirstStart {
  const credentials = createCredentialStore({ dataDir: config.dataDir, cipher, logger });
  if (config.hub) return { assistant: false, credentials, configured: config.hub };
  if (config.demo) return { assistant: false, credentials, configured: null };
  const stored = credentials.read();
  return { assistant: true, credentials, configured: stored ? { url: stored.url, token: stored.token } : null };
}

/**
 * Electron's `safeStorage` as the credential's cipher, except where it would only disguise the token: on Linux with no
 * keyring (backend `basic_text`, a key written in Chromium's code), which is then no better than the 0600 file and
 * would claim to be encrypted.
 */
export function keychainCipher(storage: SecretCipher & { getSelectedStorageBackend?(): string }, platform: NodeJS.Platform): SecretCipher {
  const obfuscatedOnly = (): boolean => platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text';
  return {
    isEncryptionAvailable: () => !obfuscatedOnly() && storage.isEncryptionAvailable(),
    encryptString: (plain) => storage.encryptString(plain),
    decryptString: (encrypted) => storage.decryptString(encrypted),
  };
}
