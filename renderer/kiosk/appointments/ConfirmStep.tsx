// The booking's last step: what was chosen, an optional first name or initials for the agent (only with the consent box
// ticked, erased after the appointment), and « Confirmer ». A refusal is said in French in the live region and keeps what
// was typed; a slot just taken offers the next free ones in its place.
import { BarSlot } from '../../ui/KioskBar.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_NOTE_CHARS } from '../../../shared/appointments.js';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { useAppointmentsStore, useKioskStores } from '../stores/storesContext.js';
import { AppointmentError } from './AppointmentError.js';
import type { FreeSlot, Subject } from './appointmentsStore.js';
import { checkNote } from './slotDays.js';

export interface NoteState {
  note: string;
  consent: boolean;
  setNote(note: string): void;
  setConsent(consent: boolean): void;
}

export function ConfirmStep({ organisation, subject, slot, onOtherSlot, noteState }: { organisation: string; subject: Subject; slot: FreeSlot; onOtherSlot(slot: FreeSlot): void; noteState: NoteState }) {
  const { t, i18n } = useTranslation();
  const store = useKioskStores().appointments;
  const sending = useAppointmentsStore((s) => s.sending);
  const storeError = useAppointmentsStore((s) => s.error);
  const [localError, setLocalError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const { note, consent, setNote, setConsent } = noteState;
  const lang = i18n.language;
  const error = localError ? { code: localError } : attempted ? storeError : null;
  const others = attempted && storeError?.code === 'SLOT_TAKEN' ? storeError.next.filter((s) => s.startsAt !== slot.startsAt) : [];

  const confirm = (): void => {
    const invalid = checkNote(note, consent, MAX_NOTE_CHARS);
    setLocalError(invalid);
    if (invalid) return;
    setAttempted(true);
    const text = note.trim();
    void store.getState().book({ organisation, startsAt: slot.startsAt, subject: subject.code, ...(text ? { note: text, noteConsent: true } : {}) });
  };

  return (
    <div className="appointment__confirm">
      <p className="lead appointment__when" data-testid="appointment-when">
        {t('appointments.summary.when', { day: formatWeekdayDate(slot.startsAt, lang), time: formatTime(slot.startsAt, lang) })}
      </p>
      <p>{t('appointments.summary.subject', { subject: subject.label })}</p>
      <fieldset className="appointment__note">
        <legend>{t('appointments.note.legend')}</legend>
        <label htmlFor="appointment-note">{t('appointments.note.label')}</label>
        <input
          id="appointment-note"
          autoComplete="off"
          value={note}
          aria-describedby="appointment-note-hint"
          aria-invalid={localError !== null}
          onChange={(e) => setNote(e.target.value)}
        />
        <p id="appointment-note-hint" className="hint">
          {t('appointments.note.hint')}
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
          {t('appointments.note.consent')}
        </label>
      </fieldset>
      <div aria-live="polite" className="appointment__result">
        {sending ? <p role="status">{t('appointments.sending')}</p> : <AppointmentError error={error} />}
      </div>
      {others.length > 0 && (
        <section aria-labelledby="appointment-others">
          <h2 id="appointment-others">{t('appointments.otherSlots')}</h2>
          <ul className="choice-grid appointment__times" role="list">
            {others.slice(0, 6).map((s) => (
              <li key={s.startsAt}>
                <button type="button" className="choice" data-starts-at={s.startsAt} onClick={() => { setAttempted(false); onOtherSlot(s); }}>
                  {t('appointments.summary.when', { day: formatWeekdayDate(s.startsAt, lang), time: formatTime(s.startsAt, lang) })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* In the kiosk's bar, as a form's « Imprimer »: in view at every size, whatever the note's fieldset takes. */}
      <BarSlot side="end">
        <button type="button" className="button button--primary button--large" disabled={sending} onClick={confirm}>
          {t('appointments.confirm')}
        </button>
      </BarSlot>
    </div>
  );
}
