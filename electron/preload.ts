// The kiosk window's preload: exposes `window.relais` (contract verbs and events) and nothing else.
// Bundled into one CommonJS file (dist-electron/preload.cjs) because sandboxed preloads cannot load modules.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeRelaisApi } from './shell/preloadApi.js';

exposeRelaisApi(contextBridge, ipcRenderer);
