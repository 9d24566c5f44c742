// The first-start assistant's English texts (the French catalog is the reference).
import type { setupFr } from '../fr/setup.js';
import type { Widen } from '../widen.js';

export const setupEn: Widen<typeof setupFr> = {
  setup: {
    title: 'Setting up the kiosk',
    progress: 'Set-up steps',
    stepOf: 'Step {{n}} of {{total}}',
    steps: {
      hub: 'The department’s hub',
      site: 'The site',
      mediator: 'The first mediator',
      printer: 'The printer',
      devices: 'Camera and microphone',
    },
    hub: {
      intro: 'Type the hub’s address and the enrolment code given by the coordinator (dashboard, « Bornes » view).',
      address: 'Hub address',
      addressHint: 'Example: https://relais.departement.fr',
      code: 'Enrolment code',
      codeHint: '8 characters, for example ABCD-EFGH. It lasts 24 hours and works only once.',
      enrol: 'Enrol the kiosk',
      enrolling: 'Enrolling…',
      or: 'No hub yet?',
      demo: 'Demonstration',
      demoHint: 'The kiosk works on its own, with a sample site, organisations and advisers.',
    },
    site: {
      intro: 'The site’s name is shown at the top of every screen.',
      name: 'Site name',
      commune: 'Town',
    },
    mediator: {
      intro: 'The first mediator opens the mediator mode with a PIN (4 to 8 digits) and can add colleagues later.',
      name: 'Mediator’s name',
      pin: 'PIN',
      pinAgain: 'PIN, once more',
      pinMismatch: 'The two PINs differ.',
      pinFormat: 'The PIN has 4 to 8 digits.',
      pinTaken: 'This PIN is already taken (the demonstration’s, for instance): choose another one.',
    },
    printer: {
      intro: 'Choose the kiosk’s printer and print a test page.',
    },
    devices: {
      intro: 'Start the test: the camera’s picture shows and the meter moves when you speak.',
    },
    enrolled: 'Kiosk enrolled on the hub {{hub}}.',
    next: 'Continue',
    later: 'Skip this step',
    finish: 'Finish the set-up',
  },
};
