// An organisation's fillable forms: the list, then one form on screen (fields from the PDF), a preview, and printing.
// What the visitor typed lives only in this screen's state and is dropped once printed or on leaving.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormDescription, FormField, FormSummary, FormValues } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { HelpButton } from '../HelpButton.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { base64ToBytes, CopiesStepper, JobProgress, PrintingNotice } from './PrintScreenParts.js';
import { PrintIcon } from './icons.js';
import { usePrintingStore } from './printingStore.js';
import { pageOf, useMeasuredPages } from './useMeasuredPages.js';

// pdf.js is loaded only when a preview is shown.
const PdfPreview = lazy(() => import('./PdfPreview.js').then((m) => ({ default: m.PdfPreview })));

type Value = string | boolean | string[];

/** More options than this are offered as a list to pick from rather than as radio buttons. */
const MAX_RADIOS = 6;
/** `jj/mm/aaaa` (or `jjmmaaaa`) typed by the visitor → `AAAA-MM-JJ`, or null when it is not a real date. */
export function parseFrenchDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.\- ]?(\d{1,2})[/.\- ]?(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Adds the slashes while the visitor types digits: 05012026 → 05/01/2026. */
function maskDate(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 8);
  if (/[^\d/]/.test(text) || digits.length <= 2) return text.slice(0, 10);
  return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].filter(Boolean).join('/');
}

function FieldInput({ field, value, onChange, en, error }: { field: FormField; value: Value | undefined; onChange(v: Value): void; en: boolean; error: string | null }) {
  const { t } = useTranslation();
  const id = `field-${field.id}`;
  const label = en && field.labelEn ? field.labelEn : field.label;
  const help = en && field.helpEn ? field.helpEn : field.help;
  const dateHint = field.kind === 'date' ? t('forms.dateHint') : null;
  const hintText = [help, dateHint].filter(Boolean).join(' ');
  const text = (
    <>
      {label}
      {field.required && <small> ({t('forms.required')})</small>}
      {hintText && <small id={`${id}-help`}> — {hintText}</small>}
    </>
  );
  const describedBy = [hintText ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const aria = { ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true } : {}) };
  const errorLine = error ? (
    <span id={`${id}-error`} className="field-error">
      {error}
    </span>
  ) : null;
  const optionLabel = (o: FormField['options'][number]) => (en && o.labelEn ? o.labelEn : o.label);
  switch (field.kind) {
    case 'checkbox':
      return (
        <div className={error ? 'field field--error' : 'field'}>
          <label className="checkbox" htmlFor={id}>
            <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-field={field.id} {...aria} />
            {text}
          </label>
          {errorLine}
        </div>
      );
    case 'multiline':
      return (
        <label htmlFor={id} className={error ? 'field field--error' : 'field'}>
          <span>{text}</span>
          <textarea id={id} rows={3} maxLength={field.maxLength ?? 4000} value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.id} {...aria} />
          {errorLine}
        </label>
      );
    case 'date':
      // A text box, not <input type="date">: the browser's own picker follows its UI language (mm/dd/yyyy in en-US).
      return (
        <label htmlFor={id} className={error ? 'field field--error' : 'field'}>
          <span>{text}</span>
          <input
            id={id}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('forms.datePlaceholder')}
            maxLength={10}
            value={typeof value === 'string' ? value : ''}
            required={field.required}
            onChange={(e) => onChange(maskDate(e.target.value))}
            data-field={field.id}
            data-kind="date"
            {...aria}
          />
          {errorLine}
        </label>
      );
    case 'choice':
      if (!field.multiple && field.options.length > MAX_RADIOS) {
        return (
          <label htmlFor={id} className={error ? 'field field--error' : 'field'}>
            <span>{text}</span>
            <select id={id} value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.id} {...aria}>
              <option value="">{t('forms.choose')}</option>
              {field.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {optionLabel(o)}
                </option>
              ))}
            </select>
            {errorLine}
          </label>
        );
      }
      return (
        <fieldset className={error ? 'field field--error' : 'field'} {...aria}>
          <legend>{text}</legend>
          {field.options.map((o) => {
            const chosen = Array.isArray(value) ? value : [];
            return field.multiple ? (
              <label key={o.value} className="checkbox">
                <input type="checkbox" checked={chosen.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))} data-field={field.id} />
                {optionLabel(o)}
              </label>
            ) : (
              <label key={o.value} className="checkbox">
                <input type="radio" name={id} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} data-field={field.id} />
                {optionLabel(o)}
              </label>
            );
          })}
          {errorLine}
        </fieldset>
      );
    default:
      return (
        <label htmlFor={id} className={error ? 'field field--error' : 'field'}>
          <span>{text}</span>
          <input id={id} type="text" autoComplete="off" maxLength={field.maxLength ?? 4000} value={typeof value === 'string' ? value : ''} required={field.required} onChange={(e) => onChange(e.target.value)} data-field={field.id} {...aria} />
          {errorLine}
        </label>
      );
  }
}

const isEmpty = (value: Value | undefined): boolean =>
  value === undefined || value === false || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

type FieldProblem = { reason: string; n?: number };

/** What the screen can tell before asking the kiosk: required boxes, dates, comb lengths. */
function checkField(field: FormField, value: Value | undefined): FieldProblem | null {
  if (field.required && isEmpty(value)) return { reason: 'required' };
  if (field.kind === 'date' && typeof value === 'string' && value.trim() !== '') {
    if (!parseFrenchDate(value)) return { reason: 'date' };
    if (field.maxLength !== null && field.maxLength < 10 && field.maxLength !== 8 && field.maxLength !== 6) return { reason: 'date-cells', n: field.maxLength };
  }
  if ((field.kind === 'text' || field.kind === 'multiline') && typeof value === 'string' && field.maxLength !== null && value.length > field.maxLength) return { reason: field.comb ? 'comb' : 'max-length', n: field.maxLength };
  return null;
}

/** The values as the kiosk takes them: dates as AAAA-MM-JJ, empty answers left out. */
function toWire(fields: FormField[], values: Record<string, Value>): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = values[f.id];
    if (v === undefined || isEmpty(v)) continue;
    out[f.id] = f.kind === 'date' && typeof v === 'string' ? (parseFrenchDate(v) ?? v) : v;
  }
  return out;
}

function FormFill({ id, onBack }: { id: string; onBack(): void }) {
  const bridge = useBridge();
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [form, setForm] = useState<FormDescription | null>(null);
  const [values, setValues] = useState<Record<string, Value>>({});
  const [copies, setCopies] = useState(1);
  const [preview, setPreview] = useState<Uint8Array | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [problems, setProblems] = useState<Record<string, FieldProblem>>({});
  const [overflow, setOverflow] = useState<string[]>([]);
  /** A field of the page shown (its index): the page is the one that holds it, whatever the room. */
  const [anchor, setAnchor] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const track = usePrintingStore((s) => s.track);

  useEffect(() => {
    unwrap(bridge.forms.describe({ id }))
      .then(setForm)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [bridge, id]);
  const problemIds = Object.keys(problems);
  // What is drawn above the fields changes their room.
  const { box, measuring, starts } = useMeasuredPages<HTMLFormElement>(form?.fields.length ?? 0, `${problemIds.join()}/${overflow.join()}`, form !== null && preview === null);
  if (!form) return <ErrorText error={error} />;

  const page = pageOf(starts, anchor);
  const pageFields = measuring ? form.fields : form.fields.slice(starts[page], starts[page + 1]);
  const paged = !measuring && starts.length > 1;
  const labelOf = (fieldId: string): string => {
    const f = form.fields.find((x) => x.id === fieldId);
    return f ? (en && f.labelEn ? f.labelEn : f.label) : fieldId;
  };
  const messageFor = (fieldId: string, p: FieldProblem): string => t(`forms.error.${p.reason}`, { label: labelOf(fieldId), n: p.n ?? '', defaultValue: t('forms.error.other', { label: labelOf(fieldId) }) });
  const showProblems = (found: Record<string, FieldProblem>): boolean => {
    setProblems(found);
    const first = Object.keys(found)[0];
    if (first === undefined) return true;
    // Go to the page of the first box to correct; what was typed stays.
    setPreview(null);
    setAnchor(Math.max(0, form.fields.findIndex((f) => f.id === first)));
    return false;
  };
  const complete = (): boolean => {
    const found: Record<string, FieldProblem> = {};
    for (const f of form.fields) {
      const p = checkField(f, values[f.id]);
      if (p) found[f.id] = p;
    }
    return showProblems(found);
  };
  const kioskRefused = (cause: unknown): void => {
    const e = toUiError(cause);
    const field = e.details?.field;
    if (e.code === 'INVALID_INPUT' && typeof field === 'string' && form.fields.some((f) => f.id === field)) {
      const reason = typeof e.details?.reason === 'string' ? e.details.reason : 'other';
      const n = typeof e.details?.n === 'number' ? e.details.n : undefined;
      showProblems({ [field]: n === undefined ? { reason } : { reason, n } });
      if (reason === 'too-long') setOverflow([field]);
    } else setError(e);
  };
  const showPreview = async () => {
    if (!complete()) return;
    setBusy(true);
    setError(null);
    try {
      const result = await unwrap(bridge.forms.preview({ id, values: toWire(form.fields, values) }));
      setOverflow(result.overflow);
      setPreview(base64ToBytes(result.pdfBase64));
    } catch (cause) {
      kioskRefused(cause);
    } finally {
      setBusy(false);
    }
  };
  const print = async () => {
    if (!complete()) return;
    setBusy(true);
    setError(null);
    try {
      const job = await unwrap(bridge.forms.print({ id, values: toWire(form.fields, values), copies }));
      track(job);
      setJobId(job.id);
      // Printed: what was typed is forgotten.
      setValues({});
      setPreview(null);
      setOverflow([]);
    } catch (cause) {
      kioskRefused(cause);
    } finally {
      setBusy(false);
    }
  };
  const title = en && form.titleEn ? form.titleEn : form.title;
  const change = (fieldId: string, v: Value) => {
    setValues((old) => ({ ...old, [fieldId]: v }));
    setOverflow((old) => old.filter((x) => x !== fieldId));
    setProblems((old) => {
      if (!(fieldId in old)) return old;
      const { [fieldId]: _dropped, ...rest } = old;
      return rest;
    });
  };
  return (
    <section aria-labelledby="form-title" className="form-screen">
      <BarSlot side="start">
        <button type="button" className="button button--back" onClick={onBack}>
          <PrintIcon name="back" />
          {t('forms.back')}
        </button>
      </BarSlot>
      <h2 id="form-title">{title}</h2>
      <p className="hint">{t('forms.forgotten')}</p>
      {problemIds.length > 0 && (
        <div role="alert" className="error" data-testid="form-problems">
          <p>{t('forms.fixErrors')}</p>
          <ul>
            {problemIds.map((fid) => (
              <li key={fid}>{messageFor(fid, problems[fid] as FieldProblem)}</li>
            ))}
          </ul>
        </div>
      )}
      {overflow.length > 0 && problemIds.length === 0 && (
        <div role="alert" className="error" data-testid="form-overflow">
          <p>{t('forms.tooLongBefore')}</p>
          <ul>
            {overflow.map((fid) => (
              <li key={fid}>{labelOf(fid)}</li>
            ))}
          </ul>
        </div>
      )}
      {preview ? (
        <div className="form-preview">
          <h3>{t('forms.previewTitle')}</h3>
          <Suspense fallback={<p role="status">{t('pdf.loading')}</p>}>
            <PdfPreview bytes={preview} label={title} />
          </Suspense>
        </div>
      ) : (
        // data-fit-box: a field taller than the whole room makes the shell tighten (ui/useFitLevels.ts).
        <form ref={box} className="form-fill" onSubmit={(e) => e.preventDefault()} noValidate data-fit-box="" {...(paged ? { 'aria-describedby': 'form-page' } : {})}>
          {pageFields.map((f) => (
            <FieldInput
              key={f.id}
              field={f}
              en={en}
              value={values[f.id]}
              error={problems[f.id] ? messageFor(f.id, problems[f.id] as FieldProblem) : overflow.includes(f.id) ? t('forms.error.too-long', { label: en && f.labelEn ? f.labelEn : f.label }) : null}
              onChange={(v) => change(f.id, v)}
            />
          ))}
        </form>
      )}
      <div className="form-footer">
        {/* Drawn while measuring too, so that the fields are measured in the room they will have. */}
        {!preview && (paged || measuring) && (
          <div className="form-pager">
            <button type="button" className="button" disabled={page === 0} onClick={() => setAnchor(starts[page - 1] ?? 0)}>
              {t('forms.previous')}
            </button>
            <span id="form-page" aria-live="polite" data-testid="form-page">
              {t('forms.page', { n: page + 1, total: starts.length })}
            </span>
            <button type="button" className="button" disabled={page >= starts.length - 1} onClick={() => setAnchor(starts[page + 1] ?? anchor)}>
              {t('forms.next')}
            </button>
          </div>
        )}
        <div className="actions">
          {preview && (
            <button type="button" className="button" onClick={() => setPreview(null)}>
              {t('forms.edit')}
            </button>
          )}
          <CopiesStepper id="form-copies" value={copies} onChange={setCopies} />
          {!preview && (
            <button type="button" className="button" disabled={busy} onClick={() => void showPreview()}>
              <PrintIcon name="eye" />
              {t('forms.preview')}
            </button>
          )}
          <button type="button" className="button button--primary" disabled={busy || jobId !== null || overflow.length > 0} onClick={() => void print()}>
            <PrintIcon name="print" />
            {t('printing.print')}
          </button>
        </div>
      </div>
      <JobProgress jobId={jobId} />
      <ErrorText error={error} />
    </section>
  );
}

export function FormsScreen({ organisation }: { organisation: string }) {
  const bridge = useBridge();
  const { t, i18n } = useTranslation();
  const org = useAppStore((s) => s.organisations.find((o) => o.code === organisation));
  const go = useAppStore((s) => s.go);
  const [forms, setForms] = useState<FormSummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    unwrap(bridge.forms.list({ organisation }))
      .then(setForms)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [bridge, organisation]);
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
          <BarSlot side="start">
            <button type="button" className="button button--back" onClick={() => go({ name: 'organisation', code: organisation })}>
              <PrintIcon name="back" />
              {t('forms.back')}
            </button>
          </BarSlot>
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
