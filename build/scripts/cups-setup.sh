#!/usr/bin/env bash
# Idempotent CUPS setup for the kiosk's build and test machines: packages, a running cupsd, and the virtual `PDF` queue.
# cups-pdf writes a job submitted by user U to U's ~/PDF (root: /root/PDF); a job from an unknown user goes to
# /var/spool/cups-pdf/ANONYMOUS. Relais submits as the user running it, so on CI (root) files land in /root/PDF.
set -euo pipefail

QUEUE="${RELAIS_PDF_QUEUE:-PDF}"
# The `cups` group of build/system-packages.txt (the one list of system packages).
mapfile -t PKGS < <(sed 's/#.*//' "$(dirname "$0")/../system-packages.txt" | awk 'NF { for (i = 3; i <= NF; i++) if ($i == "cups") print $1 }')
((${#PKGS[@]})) || { echo "cups-setup: no \`cups\` package in build/system-packages.txt" >&2; exit 1; }

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "cups-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
fi

# `lpstat -r` exits 0 even when the scheduler is down: read its text.
if ! lpstat -r 2>/dev/null | grep -q 'scheduler is running'; then
  echo "cups-setup: starting cupsd"
  cupsd
  for _ in $(seq 1 50); do
    lpstat -r 2>/dev/null | grep -q 'scheduler is running' && break
    sleep 0.1
  done
  lpstat -r | grep -q 'scheduler is running' || { echo "cups-setup: cupsd did not start" >&2; exit 1; }
fi

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
  echo "cups-setup: creating queue $QUEUE"
  lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd -o PageSize=A4
fi
# cups-pdf names each file after the job title; `Label 2` adds `-job_<id>` so a test (or a person) finds a job's file.
CUPS_PDF_CONF=/etc/cups/cups-pdf.conf
if [ -f "$CUPS_PDF_CONF" ] && ! grep -q '^Label ' "$CUPS_PDF_CONF"; then
  echo 'Label 2' >> "$CUPS_PDF_CONF"
fi

# cups-pdf only reads PostScript: CUPS converts the PDF first. Poppler's pdftops does it about a third faster than
# Ghostscript here (the other half of the time is cups-pdf's own Ghostscript pass), on two conditions measured with
# the real forms of `npm run bench:forms`, each of which printed nothing while CUPS reported the job completed:
# - the PPD says PostScript level 3, as cups-pdf's Ghostscript reads it: at level 2 (the driver's PPD) pdftops writes
#   a CERFA's TrueType text as `xyshow` strings that Ghostscript rejects (/rangecheck), and the job's file is empty;
# - cups-pdf writes PDF 1.4: at its default 1.2, Ghostscript 10.0's pdfwrite crashes (segmentation fault) on two US
#   tax forms and leaves a 302-byte file.
PPD_MODEL=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
if [ -f "$PPD_MODEL" ]; then
  PPD_L3="$(mktemp --suffix=.ppd)"
  sed 's/^\*LanguageLevel:.*/*LanguageLevel:\t"3"/' "$PPD_MODEL" > "$PPD_L3"
  lpadmin -p "$QUEUE" -P "$PPD_L3" 2>/dev/null
  rm -f "$PPD_L3"
else
  echo "cups-setup: $PPD_MODEL not found; the $QUEUE queue keeps its PostScript level 2 PPD" >&2
fi
lpadmin -p "$QUEUE" -o PageSize=A4 -o PDFVer-default=1.4 -o pdftops-renderer-default=pdftops

# A queue left paused or rejecting by an interrupted test is put back in service.
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
mkdir -p /root/PDF
echo "cups-setup: queue $QUEUE ready (output: ~/PDF of the submitting user, /root/PDF for root)"
