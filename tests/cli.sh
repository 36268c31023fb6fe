#!/bin/sh
# cli.sh — c360 as users run it: golden outputs, bad input, determinism, atomic output.
# Usage: tests/cli.sh [--update]   (C360 names the binary, maybe under valgrind;
# BIG=0 skips the million-row case.)
set -u
BIG=${BIG:-1}
UPDATE=0
[ "${1:-}" = --update ] && UPDATE=1
. tests/lib.sh

# run WANT_STATUS ARGS...: runs c360, keeps stdout and stderr in $T/out and $T/err.
run() {
	want=$1
	shift
	$C360 "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then pass; else
		fail "c360 $* exited $got, want $want"
		head -5 "$T/err"
	fi
	if grep -q "Sanitizer\|runtime error\|==[0-9]*==" "$T/err"; then
		fail "c360 $*: memory error"
		head -20 "$T/err"
	fi
}
err_has() { if grep -q -- "$1" "$T/err"; then pass; else fail "stderr lacks \"$1\": $(head -3 "$T/err")"; fi; }
file_has() { if grep -q -- "$2" "$1"; then pass; else fail "$1 lacks \"$2\""; fi; }
# data NAME: a copy of the tutorial data to spoil, in $T/NAME
data() {
	rm -rf "$T/$1"
	cp -r "$TUTORIAL" "$T/$1"
	rm -f "$T/$1/PROVENANCE.md"
}
dq() { grep "^$2,$3,$4," "$1/gold/data_quality.csv" | cut -d, -f4; }	# dq SITE SOURCE MEASURE ITEM
conserved() {
	if grep ',conservation,' "$1/gold/data_quality.csv" | grep -qv ',ok,'; then
		fail "conservation broken in $1"
	else pass; fi
}

# ---- the command line itself
run 0 --help
grep -q "^usage: c360 build" "$T/out" && pass || fail "--help prints usage on stdout"
run 0 --version
grep -q "^c360 [0-9]" "$T/out" && pass || fail "--version"
run 2
run 2 frobnicate
run 2 build --bogus
run 2 build --as-of 2022-02-30
run 2 build --as-of 26/07/2022
run 2 generate --out "$T/g"
run 2 generate --customers 0 --out "$T/g"
run 2 check --out "$T/x"
run 2 build --customers 5

# ---- golden: the tutorial data, values checked by hand against SPEC (tests/golden/README.md)
for dir in tests/golden/*/; do
	name=$(basename "$dir")
	out="$T/golden-$name"
	# shellcheck disable=SC2046
	run 0 build $(cat "$dir/args") --out "$out"
	if [ $UPDATE = 1 ]; then
		rm -rf "$dir/expected" && cp -r "$out" "$dir/expected" &&
			rm -rf "$dir/expected/.c360-site" "$dir/expected/charts" "$dir/expected/assets" \
				"$dir/expected/weekly/report.pdf" "$dir/expected/weekly/email.eml"
		git --no-pager diff --stat -- "$dir/expected"
	elif diff -r -x .c360-site -x charts -x assets -x report.pdf -x email.eml "$dir/expected" "$out" >"$T/diff"; then
		pass
	else
		fail "golden $name differs:"
		head -40 "$T/diff"
	fi
done

# ---- determinism: same input, same bytes
run 0 build --data "$TUTORIAL" --out "$T/a"
run 0 build --data "$TUTORIAL" --out "$T/b"
diff -r "$T/a" "$T/b" >/dev/null && pass || fail "two builds of the tutorial differ"
conserved "$T/a"
run 0 generate --customers 200 --seed 9 --out "$T/gen1"
run 0 generate --customers 200 --seed 9 --out "$T/gen2"
diff -r "$T/gen1" "$T/gen2" >/dev/null && pass || fail "generate is not deterministic"
run 0 generate --customers 200 --seed 10 --out "$T/gen3"
cmp -s "$T/gen1/orders.csv" "$T/gen3/orders.csv" && fail "another seed gives the same data" || pass
run 0 build --data "$T/gen1" --out "$T/gs1"
run 0 build --data "$T/gen1" --out "$T/gs2"
diff -r "$T/gs1" "$T/gs2" >/dev/null && pass || fail "two builds of generated data differ"
conserved "$T/gs1"
for f in "$T"/gs1/gold/*.csv; do
	iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 && pass || fail "$f is not valid UTF-8"
done

# Files read in parallel chunks give the same result, even where a chunk would start inside a
# quoted field that spans lines (the chunk before reads on).
data multiline
awk 'BEGIN { print "order_id,customer_id,order_date,amount,status";
	for (i = 0; i < 400; i++) printf "%d,100%d,2022-07-%02d,%d,\"complete\nand\n,,more\"\n", 3000 + i, i % 9 + 1, i % 28 + 1, i }' \
	>"$T/multiline/orders.csv"
run 0 build --jobs 1 --data "$T/multiline" --out "$T/ml1"
C360_CHUNK_MIN=97 run 0 build --jobs 7 --data "$T/multiline" --out "$T/ml7"
diff -r "$T/ml1" "$T/ml7" >/dev/null && pass || fail "chunked reading of multi-line records differs"
file_has "$T/ml1/gold/fact_orders.csv" '^3399,'

# ---- check prints the summary and writes nothing
( cd "$T" && $C360 check --data "$OLDPWD/$TUTORIAL" >"$T/out" 2>"$T/err" ) && pass || fail "check"
grep -q "^orders  *loaded  *15 " "$T/out" && pass || fail "check summary: $(head -3 "$T/out")"
[ ! -e "$T/site" ] && pass || fail "check wrote a site"

# ---- a failed build leaves the previous site whole
run 0 build --data "$TUTORIAL" --out "$T/keep"
cp -r "$T/keep" "$T/keep.before"
data nocust
rm "$T/nocust/customers.csv"
run 1 build --data "$T/nocust" --out "$T/keep"
err_has "nocust/customers.csv: error: required file missing"
err_has "unchanged"
diff -r "$T/keep" "$T/keep.before" >/dev/null && pass || fail "a failed build changed the site"
ls "$T" | grep -q 'keep\.tmp' && fail "a staging folder was left behind" || pass

# A killed build's staging folder (its marker unlocked) is cleared by the next build; a
# folder of the same shape that c360 did not make is left alone.
mkdir -p "$T/keep.tmp-Ab12Cd" "$T/keep.tmp-Zz99Zz"
echo "c360" >"$T/keep.tmp-Ab12Cd/.c360-site"
echo mine >"$T/keep.tmp-Zz99Zz/notes.txt"
run 0 build --data "$TUTORIAL" --out "$T/keep"
[ ! -e "$T/keep.tmp-Ab12Cd" ] && pass || fail "a stale staging folder stayed"
[ -e "$T/keep.tmp-Zz99Zz/notes.txt" ] && pass || fail "a folder c360 did not make was removed"
rm -rf "$T/keep.tmp-Zz99Zz"

# ---- never replaces a folder c360 did not make
mkdir -p "$T/mine" && echo precious >"$T/mine/notes.txt"
run 1 build --data "$TUTORIAL" --out "$T/mine"
err_has "not a folder c360 made"
[ "$(cat "$T/mine/notes.txt")" = precious ] && pass || fail "a foreign folder was touched"
mkdir -p "$T/empty"
run 0 build --data "$TUTORIAL" --out "$T/empty"

# ---- init: a report project with its own templates and theme
run 0 init "$T/proj"
sed -i 's/^# Customers/# Our customers/' "$T/proj/templates/customers.md"
sed -i 's/^title = Customer 360/title = Acme 360/' "$T/proj/c360.conf"
run 0 build --config "$T/proj/c360.conf" --data "$TUTORIAL" --out "$T/projsite"
file_has "$T/projsite/customers/index.html" "<h1>Our customers</h1>"
file_has "$T/projsite/customers/index.html" "<title>Customers · Acme 360</title>"
run 1 init "$T/proj"
err_has "init wants a new or empty folder"
sed -i 's/^theme = default$/theme = default\nemail_from = BI <bi@example.com>\nemail_to = board@example.com/' "$T/proj/c360.conf"
run 0 build --config "$T/proj/c360.conf" --data "$TUTORIAL" --out "$T/projsite"
file_has "$T/projsite/weekly/email.eml" "^To: board@example.com"
printf 'email_to = "x\r\nBcc: all@example.com"\n' >"$T/inject.conf"
run 1 build --config "$T/inject.conf" --data "$TUTORIAL" --out "$T/s"
# A broken template stops the build with its file, line and column; the site stays whole.
cp -r "$T/projsite" "$T/projsite.before"
printf '# Quality\n\n{{#sources}}\n| {{name}} |\n' >"$T/proj/templates/quality.md"
run 1 build --config "$T/proj/c360.conf" --data "$TUTORIAL" --out "$T/projsite"
err_has "proj/templates/quality.md:3:1: error: section never closed: sources"
diff -r "$T/projsite" "$T/projsite.before" >/dev/null && pass || fail "a failed build changed the site"
run 2 build --theme ../x --out "$T/s"
run 1 build --theme nosuch --data "$TUTORIAL" --out "$T/s"
err_has "themes/nosuch/layout.html: error: cannot read"

# ---- bad input: a clear message naming file, line and column, or quarantine with a reason
run 1 build --data "$T/does-not-exist" --out "$T/s"
err_has "cannot open the data folder"

data noopt
rm "$T/noopt/payments.csv" "$T/noopt/web_activities.csv"
run 0 build --data "$T/noopt" --out "$T/s"
err_has "noopt/payments.csv: warning: optional file missing"
[ "$(dq "$T/s" payments status '')" = missing ] && pass || fail "payments status missing"

data empty
: >"$T/empty/customers.csv"
run 1 build --data "$T/empty" --out "$T/s"
err_has "customers.csv: error: the file is empty: no header row"
data emptyopt
: >"$T/emptyopt/support_tickets.csv"
run 0 build --data "$T/emptyopt" --out "$T/s"
err_has "support_tickets.csv: warning: the file is empty"

data blank
printf '\n\n   \n\r\n' >"$T/blank/customers.csv"
run 1 build --data "$T/blank" --out "$T/s"
err_has "no header row"

data headeronly
head -1 "$TUTORIAL/orders.csv" >"$T/headeronly/orders.csv"
run 0 build --data "$T/headeronly" --out "$T/s"
file_has "$T/s/gold/kpi_summary.csv" "^valid_orders,0,0$"

data nocol
sed '1s/customer_id/client/' "$TUTORIAL/orders.csv" >"$T/nocol/orders.csv"
run 1 build --data "$T/nocol" --out "$T/s"
err_has "orders.csv:1: error: required column \"customer_id\" missing; the header has: order_id, client, order_date, amount, status"

data extracol
sed '1s/$/,Loyalty Tier/; 2,$s/$/,gold/' "$TUTORIAL/customers.csv" >"$T/extracol/customers.csv"
run 0 build --data "$T/extracol" --out "$T/s"
[ "$(grep -c 'unknown column "loyalty_tier"' "$T/err")" = 1 ] && pass || fail "unknown column reported once"
file_has "$T/s/gold/customer_360.csv" "^1001,John Doe,john.doe@gmail.com,"

data duphead
sed '1s/location/name/' "$TUTORIAL/customers.csv" >"$T/duphead/customers.csv"
run 0 build --data "$T/duphead" --out "$T/s"
err_has "customers.csv:1:6: warning: column \"name\" appears again"

data unterminated
printf '2016,1001,2022-07-20,"5.00,complete\n2017,1002,2022-07-21,6,complete\n' >>"$T/unterminated/orders.csv"
run 0 build --verbose --data "$T/unterminated" --out "$T/s"
err_has "orders.csv:17:4: warning: quoted field never closed; row quarantined"
file_has "$T/s/gold/quarantine.csv" '^orders,17,malformed_row,"2016,1001,2022-07-20,""5.00,complete"$'
file_has "$T/s/gold/fact_orders.csv" "^2017,"
conserved "$T/s"

data stray
printf '2016,1001,2022-07-20,5"0,complete\n' >>"$T/stray/orders.csv"
run 0 build --verbose --data "$T/stray" --out "$T/s"
err_has "orders.csv:17:4: warning: stray quote in a field; row quarantined"
[ "$(dq "$T/s" orders quarantined_rows malformed_row)" = 1 ] && pass || fail "stray quote quarantined"

data nul
printf '1016,Nul\000Name,n@x.com,f,1990-01-01,x\n' >>"$T/nul/customers.csv"
run 0 build --verbose --data "$T/nul" --out "$T/s"
err_has "customers.csv:17:2: warning: NUL byte in the row; replaced with U+FFFD"
file_has "$T/s/gold/dim_customer.csv" "Nul�name"

data utf8
printf '1016,Bad\377Name,n@x.com,f,1990-01-01,x\n' >>"$T/utf8/customers.csv"
run 0 build --verbose --data "$T/utf8" --out "$T/s"
err_has "customers.csv:17:2: warning: invalid UTF-8 in the row"
for f in "$T"/s/gold/*.csv; do iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || fail "$f: invalid UTF-8 written"; done
pass

data bigfield
awk 'BEGIN { printf "1016,"; for (i = 0; i < 1048576; i++) printf "x"; print ",big@x.com,f,1990-01-01,x" }' \
	>>"$T/bigfield/customers.csv"
run 0 build --data "$T/bigfield" --out "$T/s"
[ "$(grep '^1016,' "$T/s/gold/customer_360.csv" | cut -d, -f2 | wc -c)" = 1048577 ] && pass || fail "1 MB name"

data wide
awk 'BEGIN { printf "2016,1001,2022-07-20,5,complete"; for (i = 0; i < 9995; i++) printf ",x"; print "" }' \
	>>"$T/wide/orders.csv"
run 0 build --verbose --data "$T/wide" --out "$T/s"
err_has "orders.csv:17:6: warning: more fields than the header"
file_has "$T/s/gold/fact_orders.csv" "^2016,1,20220720,2022-07-20,5.00,Completed,true,17,ragged_row$"

data badconf
printf 'date_order = day-first\nchurn_window_days = soon\n' >"$T/bad.conf"
run 1 build --data "$TUTORIAL" --config "$T/bad.conf" --out "$T/s"
err_has "bad.conf:2:21: error: churn_window_days: this value is not valid; expected a whole number"

if [ "$BIG" = 1 ]; then
	data million
	awk 'BEGIN { print "order_id,customer_id,order_date,amount,status";
		for (i = 0; i < 1000000; i++) print "2001,1001,2022-07-15," i % 100 ",complete" }' >"$T/million/orders.csv"
	run 0 build --data "$T/million" --out "$T/s"
	[ "$(dq "$T/s" orders quarantined_rows duplicate_key)" = 999999 ] && pass || fail "999,999 duplicates"
	[ "$(dq "$T/s" orders silver_rows '')" = 1 ] && pass || fail "one order stays"
	file_has "$T/s/gold/fact_orders.csv" "^2001,1,20220715,2022-07-15,99.00,Completed,true,1000001,$"
	[ "$(wc -l <"$T/err")" -lt 30 ] && pass || fail "a million duplicates flood stderr"
	conserved "$T/s"
fi

# ---- nothing but the site is written, and nothing outside --out
ls "$T" | grep -q '\.tmp-' && fail "staging folders left in $T" || pass

finish cli
