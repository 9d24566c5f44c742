// The first-start assistant's French texts: what a department's technician reads when setting up a new booth.
export const setupFr = {
  setup: {
    title: 'Mise en service de la borne',
    progress: 'Étapes de la mise en service',
    stepOf: 'Étape {{n}} sur {{total}}',
    steps: {
      hub: 'Le hub du département',
      site: 'Le site',
      mediator: 'Le premier médiateur',
      printer: 'L’imprimante',
      devices: 'La caméra et le micro',
    },
    hub: {
      intro: 'Saisissez l’adresse du hub et le code d’enrôlement donnés par le coordinateur (tableau de bord, vue « Bornes »).',
      address: 'Adresse du hub',
      addressHint: 'Exemple : https://relais.departement.fr',
      code: 'Code d’enrôlement',
      codeHint: '8 caractères, par exemple ABCD-EFGH. Il vaut 24 heures et ne sert qu’une fois.',
      enrol: 'Enrôler la borne',
      enrolling: 'Enrôlement en cours…',
      or: 'Pas de hub pour le moment ?',
      demo: 'Démonstration',
      demoHint: 'La borne fonctionne seule, avec un site, des organismes et des conseillers fictifs.',
    },
    site: {
      intro: 'Le nom du site s’affiche en haut de chaque écran.',
      name: 'Nom du site',
      commune: 'Commune',
    },
    mediator: {
      intro: 'Le premier médiateur ouvre le mode médiateur avec son code PIN (4 à 8 chiffres). Il pourra ajouter ses collègues ensuite.',
      name: 'Nom du médiateur',
      pin: 'Code PIN',
      pinAgain: 'Code PIN, une seconde fois',
      pinMismatch: 'Les deux codes ne sont pas les mêmes.',
      pinFormat: 'Le code PIN compte de 4 à 8 chiffres.',
      pinTaken: 'Ce code PIN est déjà pris (celui de la démonstration, par exemple) : choisissez-en un autre.',
    },
    printer: {
      intro: 'Choisissez l’imprimante de la borne et imprimez une page de test.',
    },
    devices: {
      intro: 'Lancez le test : l’image de la caméra s’affiche et la jauge bouge quand vous parlez.',
    },
    enrolled: 'Borne enrôlée sur le hub {{hub}}.',
    next: 'Continuer',
    later: 'Passer cette étape',
    finish: 'Terminer la mise en service',
  },
};
