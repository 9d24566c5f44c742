#!/usr/bin/env bash
# `npm test`: every check of the project, in the order a failure is cheapest to see. Prints one closing count line.
set -uo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
mkdir -p tests/.tmp
rm -f tests/.tmp/*.json
status=0
step() { echo; echo "━━ $1"; }

step "Types (tsc)"
npx tsc -p tsconfig.json --noEmit || status=1

step "Lint and layer rules (eslint)"
npx eslint --max-warnings 0 . || status=1

step "Printer (CUPS with a virtual PDF printer)"
bash build/scripts/cups-setup.sh || status=1

step "Unit tests (vitest: node and jsdom)"
npx vitest run --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest.json || status=1

step "Renderer build"
npx vite build --logLevel warn || status=1

step "End-to-end in Chromium through the web shell (Playwright)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tests/.tmp/e2e.json" npx playwright test -c tests/e2e/playwright.config.ts --reporter=list,json || status=1

step "Electron end-to-end (Playwright _electron)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/tests/.tmp/electron.json" npx playwright test -c tests/electron/playwright.config.ts --reporter=list,json || status=1

step "Electron security review (Electronegativity)"
node build/scripts/electronegativity.mjs || status=1

step "Summary"
node tests/summary.mjs tests/.tmp/vitest.json tests/.tmp/e2e.json tests/.tmp/electron.json || status=1
exit $status
