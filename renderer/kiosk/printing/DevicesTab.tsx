// The mediator's "Imprimante et appareils" tab: the printer and its queue, the forms visitors are not offered, the
// health of the hub, the disk, the camera and microphone, and the document camera; each panel is in its own file.
import { DocumentCameraPanel } from './DocumentCameraPanel.js';
import { HealthPanel } from './HealthPanel.js';
import { PrinterPanel } from './PrinterPanel.js';
import { RefusedFormsPanel } from './RefusedFormsPanel.js';

export function DevicesTab() {
  return (
    <div className="devices-tab">
      <PrinterPanel />
      <RefusedFormsPanel />
      <HealthPanel />
      <DocumentCameraPanel />
    </div>
  );
}
