// Printing on Windows booths (no CUPS): the two functions WindowsPrinterBackend needs, over Electron's own API.
// The PDF is shown by Chromium's PDF viewer in a hidden, sandboxed window and handed to the Windows spooler.
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContentsPrintOptions } from 'electron';
import type { WindowsPrintDeps, WindowsPrintOptions } from '../services/printing/windowsBackend.js';

export type HiddenWindow = Pick<BrowserWindow, 'loadURL' | 'destroy'> & { webContents: Pick<BrowserWindow['webContents'], 'print' | 'getPrintersAsync'> };

export interface WindowsPrintingPorts {
  createWindow(options: BrowserWindowConstructorOptions): HiddenWindow;
}

const HIDDEN: BrowserWindowConstructorOptions = {
  show: false,
  webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, javascript: false, disableBlinkFeatures: 'Auxclick' },
};

export function windowsPrintDeps(ports: WindowsPrintingPorts): WindowsPrintDeps {
  return {
    async getPrinters() {
      const probe = ports.createWindow(HIDDEN);
      try {
        return (await probe.webContents.getPrintersAsync()).map((p) => ({ name: p.name, displayName: p.displayName, description: p.description }));
      } finally {
        probe.destroy();
      }
    },
    async printPdf(pdf: Uint8Array, options: WindowsPrintOptions) {
      const view = ports.createWindow(HIDDEN);
      try {
        await view.loadURL(`data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`);
        const electronOptions: WebContentsPrintOptions = { ...options };
        return await new Promise<{ success: boolean; failureReason: string }>((resolve) => {
          view.webContents.print(electronOptions, (success, failureReason) => resolve({ success, failureReason }));
        });
      } finally {
        view.destroy();
      }
    },
  };
}
