// Each organisation's short list of appointment subjects and what to bring (shown at the booth and printed on the slip).
// Seeded by migration 0005; a hub's administrator may edit the `appointment_subjects` table.
export interface SubjectSeed {
  code: string;
  label: string;
  bring: string[];
}

const ID = "Une pièce d'identité";
export const DEFAULT_SUBJECTS: Record<string, SubjectSeed[]> = {
  CAF: [
    { code: 'rsa', label: 'RSA et prime d’activité', bring: [ID, 'Vos derniers bulletins de salaire'] },
    { code: 'logement', label: 'Aide au logement', bring: [ID, 'Votre bail ou votre quittance de loyer'] },
    { code: 'famille', label: 'Prestations familiales', bring: [ID, 'Votre livret de famille'] },
  ],
  CPAM: [
    { code: 'droits', label: 'Droits et carte Vitale', bring: [ID, 'Votre carte Vitale'] },
    { code: 'css', label: 'Complémentaire santé solidaire', bring: [ID, 'Vos revenus des 12 derniers mois'] },
    { code: 'indemnites', label: 'Indemnités journalières', bring: [ID, 'Votre arrêt de travail'] },
  ],
  CARSAT: [
    { code: 'retraite', label: 'Demande de retraite', bring: [ID, 'Votre relevé de carrière'] },
    { code: 'carriere', label: 'Relevé de carrière', bring: [ID] },
  ],
  FT: [
    { code: 'inscription', label: 'Inscription et actualisation', bring: [ID, 'Votre CV'] },
    { code: 'indemnisation', label: 'Indemnisation', bring: [ID, 'Vos attestations employeur'] },
  ],
  ML: [{ code: 'accompagnement', label: 'Accompagnement des jeunes', bring: [ID] }],
  UDAF: [{ code: 'famille', label: 'Information des familles', bring: [] }],
};
