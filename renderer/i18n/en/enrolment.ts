// The dashboard's English texts for creating a booth and its enrolment code (the French catalog is the reference).
import type { enrolmentFr } from '../fr/enrolment.js';
import type { Widen } from '../widen.js';

export const enrolmentEn: Widen<typeof enrolmentFr> = {
  enrolment: {
    title: 'Add a kiosk',
    intro: 'Give the site’s name and town: you get a code to type on the new kiosk when it first starts.',
    name: 'Site name',
    commune: 'Town',
    create: 'Create the kiosk and its code',
    failed: 'The kiosk could not be created. Check the name and the town, then try again.',
    created: 'Kiosk « {{name}} » ({{commune}}) created.',
    codeLabel: 'Enrolment code',
    hubLabel: 'Hub address',
    validUntil: 'Works once, until {{date}}.',
    qrAlt: 'QR code holding the hub address {{hub}} and the code {{code}}',
    howTo: 'On the kiosk, at the first set-up step, type the hub address and this code. It will not be shown again.',
    pendingTitle: 'Kiosks waiting for enrolment',
    pendingValid: 'code valid until {{date}}',
    pendingExpired: 'code expired',
    renew: 'New code for « {{name}} »',
    renewFailed: 'No new code could be made for this kiosk.',
  },
};
