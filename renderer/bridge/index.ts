// The renderer's one way to the kiosk: Electron's preload (`window.relais`) when present, the web shell's bridge otherwise.
import type { RelaisApi } from '../../shared/contract/index.js';
import { createWebBridge } from './webBridge.js';

declare global {
  interface Window {
    relais?: RelaisApi;
  }
}

/** The app's bridge, created once by the entry and then provided (BridgeContext) or passed to what needs it. */
export function createBridge(): RelaisApi {
  return window.relais ?? createWebBridge();
}

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** Unwraps a call's result; an expected failure becomes a BridgeError the screen translates by its code. */
export async function unwrap<T>(call: Promise<import('../../shared/contract/index.js').WireResult<T>>): Promise<T> {
  const result = await call;
  if (result.ok) return result.value;
  throw new BridgeError(result.error.details?.network ? 'NETWORK' : result.error.code, result.error.message, result.error.details);
}
