// Security gate: Electronegativity over electron/ for the installed Electron version; exits 1 on any MEDIUM or HIGH finding.
// A finding judged wrong is silenced at its line with /* eng-disable CHECK_ID */ and a comment saying why.
//
// Why not `npx electronegativity -o out.csv` and parse the file: in 1.10.3 the CLI writes the CSV header
// (writeFile, flag 'w') and the rows (writeFile, flag 'a') concurrently, so the header lands on top of the first
// row and the first finding is lost (seen on every run here). The same runner, called through its documented
// programmatic entry (package "main"), returns the findings as objects; this script writes them to a CSV itself.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRON_VERSION = JSON.parse(readFileSync(new URL('../../node_modules/electron/package.json', import.meta.url), 'utf8')).version;
const FAILING = new Set(['MEDIUM', 'HIGH']);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const input = join(repoRoot, 'electron');

const require = createRequire(import.meta.url);
const entry = require('@doyensec/electronegativity');
const run = typeof entry === 'function' ? entry : entry.default;

const csvField = (value) => `"${String(value ?? '').replace(/"/g, '""')}"`;

const { issues, errors } = await run({
  input,
  isRelative: true,
  isVerbose: true,
  electronVersionOverride: ELECTRON_VERSION,
  customScan: [],
  excludeFromScan: [],
  parserPlugins: [],
});

const findings = issues.map((issue) => ({
  id: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  location: `${issue.location?.line ?? 0}:${issue.location?.column ?? 0}`,
  sample: issue.sample ?? '',
  description: issue.description,
  manualReview: Boolean(issue.manualReview),
}));

const csvFile = join(mkdtempSync(join(tmpdir(), 'relais-eng-')), 'electronegativity.csv');
const columns = ['id', 'severity', 'confidence', 'file', 'location', 'sample', 'description', 'manualReview'];
writeFileSync(csvFile, [columns.join(','), ...findings.map((f) => columns.map((c) => csvField(f[c])).join(','))].join('\n') + '\n');

for (const f of findings) {
  const mark = FAILING.has(f.severity) ? 'FAIL' : 'info';
  console.log(`${mark}  ${f.severity}/${f.confidence}  ${f.id}  ${f.file}:${f.location}${f.manualReview ? '  (manual review)' : ''}`);
  console.log(`      ${f.description}`);
  if (f.sample) console.log(`      ${f.sample.slice(0, 160)}`);
}
for (const e of errors ?? []) console.log(`parse error: ${e.file ?? ''} ${e.message ?? e.error ?? ''}`);

const failing = findings.filter((f) => FAILING.has(f.severity));
console.log(`Electronegativity (Electron ${ELECTRON_VERSION}) on electron/: ${findings.length} finding(s), ${failing.length} MEDIUM or HIGH; CSV: ${csvFile}`);
process.exitCode = failing.length > 0 || (errors ?? []).length > 0 ? 1 : 0;
