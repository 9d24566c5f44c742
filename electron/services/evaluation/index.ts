// The evaluation tools of the kiosk (survey, audit, incidents, reports, hub sync, retention, charter): what main.ts wires.
export { AUDIT_ITEM_CODES, AUDIT_ITEM_LABELS, AuditItem, AuditItemCode, auditOfMonth, createAuditLog, type AuditLog, type AuditRecord } from './audit.js';
export { MonthKey, monthDayRange, monthOf } from './calendar.js';
export { Charter, DEFAULT_CHARTER_FILE, loadCharter } from './charter.js';
export { dailyCounts, weekCounts, type DayServiceCount, type ServiceCount } from './counts.js';
export {
  AUTO_RESOLVED_ACTION,
  INCIDENT_CATEGORIES,
  INCIDENT_CATEGORY_LABELS,
  IncidentCategory,
  IncidentStatus,
  KIOSK_FAULTS,
  OpenIncidentInput,
  createIncidentLog,
  incidentsBetween,
  type FaultReport,
  type Incident,
  type IncidentFilter,
  type IncidentLog,
  type KioskFault,
} from './incidents.js';
export { monthReport, visitsCsv, type MonthReport, type OrganisationName } from './reports.js';
export { formatCount, monthLabelFr, reportPdf, type ReportPdfOptions } from './reportPdf.js';
export { purge, type PurgeResult } from './retention.js';
export { DEFAULT_RETENTION_MONTHS, EvaluationSettingsPatch, SurveyMode, createEvaluationSettings, type EvaluationSettings, type EvaluationSettingsStore } from './settings.js';
export {
  SMILEY_SCALE,
  SURVEY_QUESTIONS,
  SURVEY_SERVICES,
  SurveyAnswersInput,
  SurveyScore,
  createSurvey,
  questionsFor,
  surveySummary,
  type Bilingual,
  type QuestionSummary,
  type ScalePoint,
  type Survey,
  type SurveyQuestion,
  type SurveySummary,
} from './survey.js';
export { DEFAULT_RETRY, createAggregateSync, type AggregatePayload, type AggregateSync, type FlushResult, type RetryPolicy, type SendAggregates, type SyncStatus } from './sync.js';
