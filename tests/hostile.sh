#!/bin/sh
# hostile.sh — c360 against hostile input and faults: every attack under a timeout; no crash,
# no hang, bounded output, exact money, and the previous site left whole.
# Usage: tests/hostile.sh   (C360 names the binary, maybe under valgrind)
set -u
. tests/lib.sh
LIMIT=${HOSTILE_TIMEOUT:-120}	# seconds any one run may take before it counts as a hang

# run WANT_STATUS ARGS...: runs c360 under a timeout, keeps stdout and stderr in $T/out and $T/err.
run() {
	want=$1
	shift
	timeout -s KILL "$LIMIT" $C360 "$@" >"$T/out" 2>"$T/err"
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
no_staging() { if ls "$T" | grep -q '\.tmp-'; then fail "a staging folder was left behind: $*"; else pass; fi; }

# mini DIR: a small valid data set of our own (the tests must not need ../shared).
mini() {
	rm -rf "$1"
	mkdir -p "$1"
	printf 'customer_id,name,email,gender,dob,location\n1,Ann Lee,ann@example.com,f,1990-01-02,Pune\n2,Bo Chan,,m,,Delhi\n' \
		>"$1/customers.csv"
	printf 'order_id,customer_id,order_date,amount,status\n10,1,2022-07-01,12.50,complete\n11,2,2022-07-02,3,shipped\n' \
		>"$1/orders.csv"
}

# ---- money: a sum too big for a 64-bit count of cents stops the build naming the rows
mini "$T/money"
awk 'BEGIN { print "order_id,customer_id,order_date,amount,status";
	for (i = 0; i < 2000; i++) print i ",1,2022-07-01,99999999999999.99,complete" }' >"$T/money/orders.csv"
mini "$T/ok"
run 0 build --data "$T/ok" --out "$T/site"
cp -r "$T/site" "$T/site.before"
run 1 build --data "$T/money" --out "$T/site"
err_has "money/orders.csv:2: error: a customer's valid orders: the amounts on lines 2 to 2001 add up to more than 92,233,720,368,547,758.07"
err_has "unchanged"
diff -r "$T/site" "$T/site.before" >/dev/null && pass || fail "a build stopped by money changed the site"
no_staging money

finish hostile
