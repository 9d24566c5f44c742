// Types of electron-runtime.mjs for TypeScript callers (the Electron end-to-end suite).
export type ElectronRuntime = { available: true; binary: string } | { available: false; reason: string };
export function electronRuntime(options?: { env?: Record<string, string | undefined>; from?: string }): ElectronRuntime;
