// Electron's side of a refused start-up (services/startup.ts): the same French text and log line as the web shell,
// then a dialog the mediator can read (dialog.showErrorBox works before `ready`), then a non-zero exit.
import type { App, Dialog } from 'electron';
import type { KioskConfigError } from '../kioskConfig.js';
import type { Logger } from '../services/logger.js';
import { reportStartupFault, STARTUP_FAULT_EXIT_CODE, startupFaultReport, type StartupFaultReport } from '../services/startup.js';

export interface StartupFailurePorts {
  dialog: Pick<Dialog, 'showErrorBox'>;
  app: Pick<App, 'exit'>;
  stderr: { write(chunk: string): unknown };
}

export interface StartupFailureContext {
  dataDir: string;
  logFile: string;
  /** The file logger, when it exists (it is drained before the dialog blocks the main thread). */
  logger: Logger | null;
}

/** Reports why the kiosk cannot start and exits; resolves with what was reported (tests). */
export async function failStartup(ports: StartupFailurePorts, cause: unknown, context: StartupFailureContext): Promise<StartupFaultReport> {
  const report = startupFaultReport(cause, context);
  await reportStartupFault(report, { logger: context.logger, stderr: ports.stderr, cause });
  ports.dialog.showErrorBox(report.title, `${report.text}\n\n${report.where}`);
  ports.app.exit(STARTUP_FAULT_EXIT_CODE);
  return report;
}

/** The exit status when the kiosk's configuration is refused (as the web shell's for a bad command line). */
export const CONFIGURATION_EXIT_CODE = 2;

/**
 * Refuses a configuration (kioskConfig.ts) before anything is opened: there is no log file yet, so the refused values
 * go to standard error and to a dialog, then the app exits.
 */
export function failConfiguration(ports: StartupFailurePorts, error: KioskConfigError): void {
  ports.stderr.write(`${error.message}\n`);
  ports.dialog.showErrorBox('Relais : configuration invalide', error.message);
  ports.app.exit(CONFIGURATION_EXIT_CODE);
}
