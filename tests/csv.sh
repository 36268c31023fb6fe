#!/bin/sh
# csv.sh — csv-spectrum (the npm package, tests/csv/package-lock.json; CSV_SPECTRUM=DIR another
# copy: a folder with csvs/ and json/), a public suite of CSV files and the records each holds,
# read by c360's CSV reader (ingest.c, as every export is read) through the driver the Makefile
# builds (CSV_DRIVER) and compared by tests/csv/compare.mjs. Without node or the package (no
# network), it says it was skipped.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
CSV_DRIVER=${CSV_DRIVER:-build/csv_spectrum}

spectrum_dir() {
	if [ -n "${CSV_SPECTRUM:-}" ]; then
		echo "$CSV_SPECTRUM"
		return 0
	fi
	[ -d tests/csv/node_modules/csv-spectrum ] || npm_fetch tests/csv
	[ -d tests/csv/node_modules/csv-spectrum/csvs ] || return 1
	echo tests/csv/node_modules/csv-spectrum
}

if ! command -v node >/dev/null; then
	echo "skipped: csv-spectrum (no node to read its JSON)"
	skipped=$((skipped + 1))
elif ! dir=$(spectrum_dir); then
	echo "skipped: csv-spectrum (npm ci in tests/csv could not fetch it: $(grep -m1 'npm error' "$T/npm.out" 2>/dev/null))"
	skipped=$((skipped + 1))
else
	node tests/csv/compare.mjs "$dir" "$CSV_DRIVER" >"$T/spectrum.out" 2>&1
	status=$?
	cat "$T/spectrum.out"
	if [ "$status" = 0 ]; then pass; else fail "csv-spectrum: $(grep -m1 '^fail' "$T/spectrum.out" || tail -1 "$T/spectrum.out")"; fi
	[ "$(grep -c '^pass' "$T/spectrum.out")" -ge 12 ] && pass || fail "csv-spectrum has fewer than its 12 files"
fi

finish csv
