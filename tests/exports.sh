#!/bin/sh
# exports.sh — real exports by configuration: reader options, broken optional sources, bad
# configurations, SQL sources, S3 input, and the examples/ built with --config alone.
# Needs no shared data. Usage: tests/exports.sh   (C360 names the binary)
set -u
. tests/lib.sh

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
err_has() { if grep -qF -- "$1" "$T/err"; then pass; else fail "stderr lacks \"$1\": $(head -3 "$T/err")"; fi; }
file_has() { if grep -qF -- "$2" "$1"; then pass; else fail "$1 lacks \"$2\""; fi; }
kpi() { grep "^$2," "$1/gold/kpi_summary.csv" | cut -d, -f2; }	# kpi SITE NAME
want_kpi() {	# want_kpi SITE NAME VALUE
	got=$(kpi "$1" "$2")
	if [ "$got" = "$3" ]; then pass; else fail "$1: $2 is $got, want $3"; fi
}

# ---- a semicolon file with decimal commas reads by itself (the delimiter is found and said)
mkdir -p "$T/semi"
printf 'customer_id,name\n1,Ann\n2,Bob\n' >"$T/semi/customers.csv"
printf 'order_id;customer_id;order_date;amount;status\no1;1;2022-01-01;"1.500,00";complete\no2;2;2022-01-02;12,50;complete\no3;2;2022-01-03;"2,000";complete\n' \
	>"$T/semi/orders.csv"
run 0 build --data "$T/semi" --out "$T/s"
err_has "orders.csv: note: read as semicolon-separated (found in the header line)"
err_has "orders.csv: note: 1 amounts like \"1,500\" read with a decimal comma: 0 values show a decimal point, 2 a decimal comma"
want_kpi "$T/s" total_revenue 1514.50	# 1500.00 + 12.50 + 2.00, by hand
want_kpi "$T/s" valid_orders 3

# ---- a broken optional source is left out with a warning; its sections say why
printf 'pay,customer_id\n1,1\n' >"$T/semi/payments.csv"
run 0 build --data "$T/semi" --out "$T/s"
err_has 'payments.csv:1: warning: required column "payment_id" missing; this optional source is left out'
file_has "$T/s/index.html" "No payment data: payments.csv was left out: a column it needs is missing."
file_has "$T/s/index.html" "No session data: web_activities.csv is missing."
file_has "$T/s/gold/data_quality.csv" "payments,status,,left out,payments.csv"
want_kpi "$T/s" total_revenue 1514.50
run 0 render --gold "$T/s/gold" --out "$T/r"	# the status reads back
diff -r "$T/s" "$T/r" >/dev/null && pass || fail "the render of a build with a source left out differs"
printf 'order_id;amount\n' >"$T/semi/orders.csv"	# a required source is not left out
run 1 build --data "$T/semi" --out "$T/s"
err_has 'orders.csv:1: error: required column "customer_id" missing'

# ---- bad configurations name the file, line and column
bad_conf() {	# bad_conf TEXT EXPECTED
	printf "$1" >"$T/bad.conf"
	run 1 build --data "$T/semi" --config "$T/bad.conf" --out "$T/s"
	err_has "$2"
}
bad_conf '[read]\norders.delimiter = x\n' "bad.conf:2:1: error: the delimiter is one of , ; | tab auto: orders.delimiter = x"
bad_conf '# categories\n[categories]\nstatus.Completed = ok\n' "bad.conf:3:1: error: a key here is MAP.LABEL"
bad_conf '[columns]\norders.order_id = "Order #\n' "bad.conf:2:1: error: a quote is never closed"
bad_conf '[currency]\nbase = EURO\n' "bad.conf:2:1: error: the base is a three-letter currency code"

finish exports
