// Windows printing over typed fakes of Electron: hidden sandboxed window, the PDF as a data URL, the spooler's answer.
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions, PrinterInfo, WebContentsPrintOptions } from 'electron';
import { windowsPrintDeps, type HiddenWindow } from '../../../../electron/shell/windowsPrinting.js';

function fakePorts(answer: { success: boolean; failureReason: string }) {
  const made: { options: BrowserWindowConstructorOptions; loaded: string[]; printed: WebContentsPrintOptions[]; destroyed: boolean }[] = [];
  return {
    made,
    ports: {
      createWindow(options: BrowserWindowConstructorOptions): HiddenWindow {
        const record = { options, loaded: [] as string[], printed: [] as WebContentsPrintOptions[], destroyed: false };
        made.push(record);
        return {
          loadURL: async (url: string) => {
            record.loaded.push(url);
          },
          destroy: () => {
            record.destroyed = true;
          },
          webContents: {
            getPrintersAsync: async () => [{ name: 'HP', displayName: 'HP accueil', description: 'Couloir', options: {} } as unknown as PrinterInfo],
            print: (options?: WebContentsPrintOptions, callback?: (success: boolean, failureReason: string) => void) => {
              record.printed.push(options ?? {});
              callback?.(answer.success, answer.failureReason);
            },
          },
        };
      },
    },
  };
}

describe('Windows printing through Electron', () => {
  it('prints the PDF silently on the named printer from a hidden sandboxed window, then destroys the window', async () => {
    const { ports, made } = fakePorts({ success: true, failureReason: '' });
    const deps = windowsPrintDeps(ports);
    const result = await deps.printPdf(new Uint8Array([37, 80, 68, 70]), { silent: true, deviceName: 'HP', copies: 2, duplexMode: 'simplex', printBackground: true, pageSize: 'A4' });
    expect(result).toEqual({ success: true, failureReason: '' });
    expect(made).toHaveLength(1);
    expect(made[0]?.options.show).toBe(false);
    expect(made[0]?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' });
    expect(made[0]?.loaded).toEqual(['data:application/pdf;base64,JVBERg==']);
    expect(made[0]?.printed[0]).toMatchObject({ silent: true, deviceName: 'HP', copies: 2 });
    expect(made[0]?.destroyed).toBe(true);
  });

  it('passes the spooler’s refusal on, and lists the printers by name', async () => {
    const { ports, made } = fakePorts({ success: false, failureReason: 'Print job failed' });
    const deps = windowsPrintDeps(ports);
    await expect(deps.printPdf(new Uint8Array([1]), { silent: true, deviceName: 'X', copies: 1, duplexMode: 'simplex', printBackground: true, pageSize: 'A4' })).resolves.toEqual({
      success: false,
      failureReason: 'Print job failed',
    });
    await expect(deps.getPrinters()).resolves.toEqual([{ name: 'HP', displayName: 'HP accueil', description: 'Couloir' }]);
    expect(made.every((w) => w.destroyed)).toBe(true);
  });
});
