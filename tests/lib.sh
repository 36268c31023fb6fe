# lib.sh — what the shell test scripts share: the binary, the data, a scratch folder removed
# on exit, counting checks, and skipping the tutorial part. Sourced, not run.
C360=${C360:-$PWD/c360}
FIXTURE=tests/golden/fixture/in	# the hand-written data in the repository (tests/golden/README.md)
TUTORIAL=${C360_TUTORIAL:-../shared/data/tutorial}	# the tutorial data, where it sits beside the clone
export TZ=UTC
export C360_CHECK_PAGES=1	# every page's data checked whole against its variables (a build checks samples)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
skipped=0

pass() { n=$((n + 1)); }
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "FAIL: $*"
}
# have_tutorial WHAT: true when the tutorial data is there, else says that WHAT is skipped.
have_tutorial() {
	[ -d "$TUTORIAL" ] && return 0
	skipped=$((skipped + 1))
	echo "skipped: $1 (no tutorial data at $TUTORIAL)"
	return 1
}
# browser_ready: true once the packages of tests/browser (playwright-core, axe-core) are there
# (npm_fetch: a fresh CI machine fetches them); a failure if they cannot be, quoting this try's
# npm.out (none left from an earlier try: without npm there is none).
browser_ready() {
	rm -f "$T/npm.out"
	[ -d tests/browser/node_modules ] || npm_fetch tests/browser && return 0
	fail "npm ci in tests/browser (playwright-core, axe-core): $(tail -3 "$T/npm.out" 2>/dev/null || echo no npm)"
	return 1
}
# npm_fetch DIR: DIR's packages (its package-lock.json) into DIR/node_modules, npm ci tried three
# times (the network may fail a moment); false without npm or when all three fail ($T/npm.out).
npm_fetch() {
	command -v npm >/dev/null || return 1
	for wait in 5 15 0; do
		(cd "$1" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --fetch-retries=1 \
			--fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 >"$T/npm.out" 2>&1) && return 0
		[ "$wait" = 0 ] || sleep "$wait"
	done
	return 1
}
# can_strace: true if strace is there and may trace here (the fault-injection tests need it).
can_strace() { strace -f -o /dev/null true 2>/dev/null; }
# run WANT_STATUS ARGS...: runs c360, keeps stdout and stderr in $T/out and $T/err.
LIMIT=${LIMIT:-900}	# seconds one run may take before it counts as a hang (and is killed)
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
# hostile_data DIR: exports full of markup, quotes, javascript: links, ../ and / in ids, long fields
# (Pepe's: a name, an e-mail of 90 characters and a town of one long word: a page still fits 1280px).
hostile_data() {
	mkdir -p "$1"
	long=$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "<b>x</b>" }')
	{
		echo 'customer_id,name,email,gender,dob,location'
		echo '../../../etc/passwd,"<script>alert(1)</script>",a@b.co,f,1990-01-01,"javascript:alert(1)"'
		echo 'a/b,"<img src=x onerror=alert(1)>","""quoted""@x.com",m,1990-01-01,"[click](javascript:alert(1))"'
		echo '<svg onload=alert(1)>,"Robert""); DROP TABLE--",x@y.org,x,1990-01-01,"${long}"'
		echo "${long},Long Id,l@l.io,f,1990-01-01,Paris"
		echo 'ünï/cødé,"José ""Pepe"" Núñez Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzen",jose.pepe.nunez.wolfeschlegelsteinhausenberger@dorffwelchevoralternwarengewissenhaft.co.es,m,1990-01-01,Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch'
		echo 'C:\\x,"</td></tr></table><h1>pwn</h1>",c@d.ee,f,1990-01-01,"# heading | pipe"'
		echo 'CON,"=HYPERLINK(""http://evil.example"")",e@f.gg,f,1990-01-01,"+1-2"'
		echo "..,dot dot,g@h.ii,f,1990-01-01,x"
	} >"$1/customers.csv"
	{
		echo 'order_id,customer_id,order_date,amount,status'
		echo '"<script>o</script>",../../../etc/passwd,2022-07-01,10,"<b>complete</b>"'
		echo 'o2,a/b,2022-07-02,20,"javascript:alert(1)"'
		echo "o3,${long},2022-07-03,30,complete"
		echo 'o4,"<svg onload=alert(1)>",2022-07-04,40,shipped'
		echo 'o5,..,2022-07-05,50,"[x](javascript:alert(1))"'
	} >"$1/orders.csv"
	{
		echo 'ticket_id,customer_id,issue_type,ticket_date,resolution_status'
		echo 't1,../../../etc/passwd,"<iframe src=javascript:alert(1)>",2022-07-06,"<i>open</i>"'
		echo "t2,ünï/cødé,${long},2022-07-06,pending"
	} >"$1/support_tickets.csv"
	{
		echo 'session_id,customer_id,page_viewed,session_time,device_type'
		echo 's1,a/b,"/""><script>alert(1)</script>",2022-07-07 10:00,"<script>x</script>"'
		echo 's2,"C:\\x","javascript:alert(1)",2022-07-07 11:00,android'
	} >"$1/web_activities.csv"
}
err_has() { if grep -q -- "$1" "$T/err"; then pass; else fail "stderr lacks \"$1\": $(head -3 "$T/err")"; fi; }
file_has() { if grep -q -- "$2" "$1"; then pass; else fail "$1 lacks \"$2\""; fi; }
# ckey SITE ID: the customer_key of customer ID in SITE's gold (a fact names its customer by it)
ckey() { awk -F, -v id="$2" 'NR > 1 && $2 == id { print $1 }' "$1/gold/dim_customer.csv"; }
# finish NAME: the summary line, and the exit status.
finish() {
	echo "$1: $n checks, $failed failed$([ "$skipped" = 0 ] || echo ", $skipped parts skipped")"
	[ "$failed" = 0 ]
}
