// An organisation's fillable forms: the list, then one form on screen (fields from the PDF), a preview, and printing.
// What the visitor typed lives only in this screen's state and is dropped once printed or on leaving.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormDescription, FormField, FormSummary, FormValues } from '../../../shared/contract.js';
import { getBridge, unwrap } from '../../bridge/index.js';
import { ErrorText } from '../../ui/ErrorText.js';
import { HelpButton } from '../../ui/HelpButton.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { base64ToBytes, CopiesStepper, JobProgress, PrintingNotice } from './common.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';

// pdf.js is loaded only when a preview is shown.
const PdfPreview = lazy(() => import('./PdfPreview.js').then((m) => ({ default: m.PdfPreview })));

type Value = string | boolean | string[];

function FieldInput({ field, value, onChange, en }: { field: FormField; value: Value | undefined; onChange(v: Value): void; en: boolean }) {
  const { t } = useTranslation();
  const id = `field-${field.name}`;
  const label = en && field.labelEn ? field.labelEn : field.label;
  const help = en && field.helpEn ? field.helpEn : field.help;
  const text = (
    <>
      {label}
      {field.required && <small> ({t('forms.required')})</small>}
      {help && <small id={`${id}-help`}> — {help}</small>}
    </>
  );
  const described = help ? { 'aria-describedby': `${id}-help` } : {};
  switch (field.kind) {
    case 'checkbox':
      return (
        <label className="checkbox" htmlFor={id}>
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-field={field.name} />
          {text}
        </label>
      );
    case 'multiline':
      return (
        <label htmlFor={id}>
          <span>{text}</span>
          <textarea id={id} rows={4} maxLength={field.maxLength ?? 4000} value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.name} {...described} />
        </label>
      );
    case 'date':
      return (
        <label htmlFor={id}>
          <span>{text}</span>
          <input id={id} type="date" value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.name} {...described} />
        </label>
      );
    case 'choice':
      if (field.radio || !field.multiple) {
        return (
          <fieldset>
            <legend>{text}</legend>
            {field.options.map((o) => (
              <label key={o} className="checkbox">
                <input type="radio" name={id} value={o} checked={value === o} onChange={() => onChange(o)} data-field={field.name} />
                {o}
              </label>
            ))}
          </fieldset>
        );
      }
      return (
        <fieldset>
          <legend>{text}</legend>
          {field.options.map((o) => {
            const chosen = Array.isArray(value) ? value : [];
            return (
              <label key={o} className="checkbox">
                <input type="checkbox" checked={chosen.includes(o)} onChange={(e) => onChange(e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o))} data-field={field.name} />
                {o}
              </label>
            );
          })}
        </fieldset>
      );
    default:
      return (
        <label htmlFor={id}>
          <span>{text}</span>
          <input id={id} type="text" autoComplete="off" maxLength={field.maxLength ?? 4000} value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.name} {...described} />
        </label>
      );
  }
}

const isMissing = (field: FormField, value: Value | undefined): boolean =>
  field.required && (value === undefined || value === false || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0));

function FormFill({ id, onBack }: { id: string; onBack(): void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [form, setForm] = useState<FormDescription | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [copies, setCopies] = useState(1);
  const [preview, setPreview] = useState<Uint8Array | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const track = usePrintingStore((s) => s.track);

  useEffect(() => {
    unwrap(getBridge().forms.describe({ id }))
      .then(setForm)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [id]);
  if (!form) return <ErrorText error={error} />;

  const complete = (): boolean => {
    const lacking = form.fields.some((f) => isMissing(f, values[f.name]));
    setMissing(lacking);
    return !lacking;
  };
  const showPreview = async () => {
    if (!complete()) return;
    setBusy(true);
    try {
      setPreview(base64ToBytes((await unwrap(getBridge().forms.preview({ id, values }))).pdfBase64));
    } catch (cause) {
      setError(toUiError(cause));
    } finally {
      setBusy(false);
    }
  };
  const print = async () => {
    if (!complete()) return;
    setBusy(true);
    setError(null);
    try {
      const job = await unwrap(getBridge().forms.print({ id, values, copies }));
      track(job);
      setJobId(job.id);
      // Printed: what was typed is forgotten.
      setValues({});
      setPreview(null);
    } catch (cause) {
      setError(toUiError(cause));
    } finally {
      setBusy(false);
    }
  };
  const title = en && form.titleEn ? form.titleEn : form.title;

  return (
    <section aria-labelledby="form-title">
      <button type="button" className="button button--back" onClick={onBack}>
        <PrintIcon name="back" />
        {t('forms.back')}
      </button>
      <h2 id="form-title">{title}</h2>
      <p>{t('forms.forgotten')}</p>
      {preview ? (
        <>
          <h3>{t('forms.previewTitle')}</h3>
          <Suspense fallback={<p role="status">{t('pdf.loading')}</p>}>
            <PdfPreview bytes={preview} label={title} />
          </Suspense>
          <button type="button" className="button" onClick={() => setPreview(null)}>
            {t('forms.edit')}
          </button>
        </>
      ) : (
        <form className="form-fill" onSubmit={(e) => e.preventDefault()} noValidate>
          {form.fields.map((f) => (
            <FieldInput key={f.name} field={f} en={en} value={values[f.name]} onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))} />
          ))}
        </form>
      )}
      {missing && (
        <p role="alert" className="error">
          {t('forms.missing')}
        </p>
      )}
      <CopiesStepper id="form-copies" value={copies} onChange={setCopies} />
      <div className="actions">
        {!preview && (
          <button type="button" className="button" disabled={busy} onClick={() => void showPreview()}>
            <PrintIcon name="eye" />
            {t('forms.preview')}
          </button>
        )}
        <button type="button" className="button button--primary" disabled={busy || jobId !== null} onClick={() => void print()}>
          <PrintIcon name="print" />
          {t('printing.print')}
        </button>
      </div>
      <JobProgress jobId={jobId} />
      <ErrorText error={error} />
    </section>
  );
}

export function FormsScreen({ organisation }: { organisation: string }) {
  const { t, i18n } = useTranslation();
  const org = useAppStore((s) => s.organisations.find((o) => o.code === organisation));
  const go = useAppStore((s) => s.go);
  const [forms, setForms] = useState<FormSummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    unwrap(getBridge().forms.list({ organisation }))
      .then(setForms)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [organisation]);
  const en = i18n.language === 'en';
  return (
    <main className="screen" aria-labelledby="forms-title">
      <h1 id="forms-title">{t('forms.title', { org: org?.name ?? organisation })}</h1>
      <PrintingNotice />
      <ErrorText error={error} />
      {open ? (
        <FormFill key={open} id={open} onBack={() => setOpen(null)} />
      ) : (
        <>
          <button type="button" className="button button--back" onClick={() => go({ name: 'organisation', code: organisation })}>
            <PrintIcon name="back" />
            {t('forms.back')}
          </button>
          {forms && forms.length === 0 && <p className="lead">{t('forms.none')}</p>}
          <ul className="print-list" role="list">
            {(forms ?? []).map((f) => (
              <li key={f.id} className="print-card" data-form={f.id}>
                <h2>
                  <PrintIcon name="form" /> {en && f.titleEn ? f.titleEn : f.title}
                </h2>
                <p>{en && f.descriptionEn ? f.descriptionEn : f.description}</p>
                <div className="actions">
                  <button type="button" className="button button--primary" onClick={() => setOpen(f.id)}>
                    <PrintIcon name="form" />
                    {t('forms.fill')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <HelpButton screen={`forms:${organisation}`} />
    </main>
  );
}
