// The dashboard's texts for creating a booth and its one-time enrolment code (« Bornes » view).
export const enrolmentFr = {
  enrolment: {
    title: 'Ajouter une borne',
    intro: 'Donnez le nom du site et sa commune : vous obtenez un code à saisir sur la nouvelle borne, à sa première mise en route.',
    name: 'Nom du site',
    commune: 'Commune',
    create: 'Créer la borne et son code',
    failed: 'La borne n’a pas pu être créée. Vérifiez le nom et la commune, puis réessayez.',
    created: 'Borne « {{name}} » ({{commune}}) créée.',
    codeLabel: 'Code d’enrôlement',
    hubLabel: 'Adresse du hub',
    validUntil: 'Valable une seule fois, jusqu’au {{date}}.',
    qrAlt: 'QR code contenant l’adresse du hub {{hub}} et le code {{code}}',
    howTo: 'Sur la borne, à la première étape de la mise en service, saisissez l’adresse du hub et ce code. Il ne sera plus affiché ensuite.',
    pendingTitle: 'Bornes en attente d’enrôlement',
    pendingValid: 'code valable jusqu’au {{date}}',
    pendingExpired: 'code expiré',
    renew: 'Nouveau code pour « {{name}} »',
    renewFailed: 'Aucun nouveau code n’a pu être créé pour cette borne.',
  },
};
