// Why a printer cannot print: stable codes, whether each stops printing, and their texts — precise French for the
// mediator, one FALC sentence for the visitor (the fact only: the screen adds what happens next — the mediator called,
// or what to do), English second. Shared by the print service and the screens.
export const REASON_CODES = [
  'no-printer',
  'printer-not-found',
  'cups-unreachable',
  'device-unreachable',
  'paused',
  'not-accepting',
  'media-empty',
  'media-jam',
  'door-open',
  'toner-empty',
  'toner-low',
  'media-low',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Whether the reason stops printing (else a warning the mediator should see, printing goes on). */
export const BLOCKING: Record<ReasonCode, boolean> = {
  'no-printer': true,
  'printer-not-found': true,
  'cups-unreachable': true,
  'device-unreachable': true,
  paused: true,
  'not-accepting': true,
  'media-empty': true,
  'media-jam': true,
  'door-open': true,
  'toner-empty': true,
  'toner-low': false,
  'media-low': false,
  other: false,
};

export interface ReasonText {
  /** Precise, for the mediator. */
  mediator: string;
  /** One short sentence, for the visitor. */
  visitor: string;
}

export const REASON_TEXTS: { fr: Record<ReasonCode, ReasonText>; en: Record<ReasonCode, ReasonText> } = {
  fr: {
    'no-printer': {
      mediator: "Aucune imprimante n'est choisie pour ce site. Choisissez-la avec le bouton « Choisir l’imprimante » de l'onglet « Imprimante et appareils ».",
      visitor: "L'impression n'est pas possible pour le moment.",
    },
    'printer-not-found': {
      mediator: "L'imprimante choisie n'existe plus dans le système d'impression (CUPS). Choisissez-en une autre avec le bouton « Choisir l’imprimante » de l'onglet « Imprimante et appareils ».",
      visitor: "L'imprimante ne marche pas pour le moment.",
    },
    'cups-unreachable': {
      mediator: "Le service d'impression de l'ordinateur (CUPS) ne répond pas. Redémarrez l'ordinateur ou appelez le support.",
      visitor: "L'imprimante ne marche pas pour le moment.",
    },
    'device-unreachable': {
      mediator: "L'imprimante ne répond pas : vérifiez qu'elle est allumée et branchée (câble ou réseau).",
      visitor: "L'imprimante ne marche pas pour le moment.",
    },
    paused: {
      mediator: "L'imprimante est en pause dans le système d'impression. Remettez-la en service (cupsenable).",
      visitor: "L'imprimante est en pause.",
    },
    'not-accepting': {
      mediator: "L'imprimante refuse les nouveaux travaux. Réactivez l'acceptation des travaux (cupsaccept).",
      visitor: "L'imprimante ne marche pas pour le moment.",
    },
    'media-empty': {
      mediator: "Il n'y a plus de papier : remettez du papier dans le bac. L'impression reprendra ensuite.",
      visitor: "Il n'y a plus de papier.",
    },
    'media-jam': {
      mediator: "Le papier est coincé dans l'imprimante : ouvrez-la et retirez la feuille.",
      visitor: "Le papier est coincé.",
    },
    'door-open': {
      mediator: "Un capot de l'imprimante est ouvert : refermez-le.",
      visitor: "L'imprimante est ouverte.",
    },
    'toner-empty': {
      mediator: "L'encre (toner) est vide : remplacez la cartouche.",
      visitor: "L'imprimante n'a plus d'encre.",
    },
    'toner-low': {
      mediator: "L'encre (toner) sera bientôt vide : prévoyez une cartouche.",
      visitor: "L'impression est possible.",
    },
    'media-low': {
      mediator: 'Il reste peu de papier dans le bac.',
      visitor: "L'impression est possible.",
    },
    other: {
      mediator: "L'imprimante signale un problème : voyez le message ci-dessous.",
      visitor: "L'imprimante a un souci.",
    },
  },
  en: {
    'no-printer': { mediator: 'No printer is chosen for this site. Choose it with the « Choose the printer » button of the « Printer and devices » tab.', visitor: 'Printing is not possible right now.' },
    'printer-not-found': { mediator: 'The chosen printer no longer exists in the print system (CUPS). Choose another one with the « Choose the printer » button of the « Printer and devices » tab.', visitor: 'The printer does not work right now.' },
    'cups-unreachable': { mediator: "The computer's print service (CUPS) does not answer. Restart the computer or call support.", visitor: 'The printer does not work right now.' },
    'device-unreachable': { mediator: 'The printer does not answer: check that it is switched on and connected (cable or network).', visitor: 'The printer does not work right now.' },
    paused: { mediator: 'The printer is paused in the print system. Resume it (cupsenable).', visitor: 'The printer is paused.' },
    'not-accepting': { mediator: 'The printer refuses new jobs. Make it accept jobs again (cupsaccept).', visitor: 'The printer does not work right now.' },
    'media-empty': { mediator: 'Out of paper: put paper in the tray. Printing will then resume.', visitor: 'There is no paper left.' },
    'media-jam': { mediator: 'Paper is jammed in the printer: open it and remove the sheet.', visitor: 'The paper is stuck.' },
    'door-open': { mediator: 'A cover of the printer is open: close it.', visitor: 'The printer is open.' },
    'toner-empty': { mediator: 'The toner is empty: replace the cartridge.', visitor: 'The printer has no ink left.' },
    'toner-low': { mediator: 'The toner will soon be empty: have a cartridge ready.', visitor: 'Printing is possible.' },
    'media-low': { mediator: 'Little paper is left in the tray.', visitor: 'Printing is possible.' },
    other: { mediator: 'The printer reports a problem: see the message below.', visitor: 'The printer has a problem.' },
  },
};

/** The visitor's sentence when nothing is wrong. */
export const PRINTER_READY_TEXT = { fr: "L'imprimante est prête.", en: 'The printer is ready.' } as const;
