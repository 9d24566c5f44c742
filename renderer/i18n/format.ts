// The renderer's one home for dates, times, weeks and numbers on screen: French by default, English second, whatever
// the browser's own locale (Debian's Chromium without its French pack answers in US English). The formatters themselves
// live in shared/format.ts so the printed report, the printed grid and the CSV files write exactly the same.
export {
  formatDate,
  formatDateTime,
  formatDateTimeShort,
  formatDay,
  formatDayMonth,
  formatDayNumeric,
  formatDayWithWeekday,
  formatDecimal,
  formatMonth,
  formatNumber,
  formatTime,
  formatWeek,
  formatWeekdayDate,
  formatWeekShort,
  languageOf,
  monthName,
  upperFirst,
  type FormatLanguage,
} from '../../shared/format.js';
