#!/bin/sh
# hostile-measure.sh — peak memory, time and output of c360 on big hostile inputs (issue 12's
# figures). Not part of make check: it writes ~1.5 GB and takes minutes. Run it niced, alone.
# Usage: tests/hostile-measure.sh [./c360]   MEASURE_MB=100  MEASURE_DIR=build/measure
#        MEASURE_CASES="lt-field ..."  MEASURE_CONF=FILE (a configuration, e.g. with raised limits)
# Each case is a small valid data set with one hostile file; the table gives the input's size,
# the build's exit status, wall time, peak RSS and its ratio to the input, and what was written.
set -u
C360=${1:-./c360}
MB=${MEASURE_MB:-100}
DIR=${MEASURE_DIR:-build/measure}
size=$((MB * 1048576))
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "hostile-measure: needs GNU time (Debian package \"time\")" >&2; exit 1; }
mkdir -p "$DIR"

# base DIR: customers and orders files with two good rows each
base() {
	rm -rf "$1" && mkdir -p "$1"
	printf 'customer_id,name,email,gender,dob,location\n1,Ann Lee,ann@example.com,f,1990-01-02,Pune\n' >"$1/customers.csv"
	printf 'order_id,customer_id,order_date,amount,status\n10,1,2022-07-01,12.50,complete\n' >"$1/orders.csv"
}
bytes() { head -c "$size" /dev/zero | tr '\0' "$1"; }

# hostile KIND: writes the case's files into $DIR/in
hostile() {
	base "$DIR/in"
	c="$DIR/in/customers.csv"
	case $1 in
	lt-field) { printf '2,'; bytes '<'; echo ',a@b.co,f,1990-01-01,Pune'; } >>"$c" ;;
	nul-field) { printf '2,'; head -c "$size" /dev/zero; echo ',a@b.co,f,1990-01-01,Pune'; } >>"$c" ;;
	nul-file) head -c "$size" /dev/zero >"$c" ;;
	quotes) { printf '2,"'; bytes '"'; echo '",a@b.co,f,1990-01-01,Pune'; } >>"$c" ;;
	columns) { printf '2,x,a@b.co,f,1990-01-01,Pune'; bytes ','; echo; } >>"$c" ;;
	header) awk -v n=$((size / 10)) 'BEGIN { printf "customer_id,name,email,gender,dob,location";
		for (i = 0; i < n; i++) printf ",c%d", i; print ""; print "2,Bo,b@c.co,m,1990-01-01,Goa" }' >"$c" ;;
	long-lines) awk -v n=$((size / 100000)) 'BEGIN { for (s = "<"; length(s) < 100000;) s = s s; s = substr(s, 1, 100000);
		for (i = 2; i < n + 2; i++) print i "," s ",a" i "@b.co,f,1990-01-01,Pune" }' >>"$c" ;;
	categories) awk -v n=$((size / 40)) 'BEGIN { print "ticket_id,customer_id,issue_type,ticket_date,resolution_status";
		for (i = 0; i < n; i++) print i ",1,issue " i ",2022-07-01,status " i }' >"$DIR/in/support_tickets.csv" ;;
	esac
}

printf '%-11s %9s %4s %8s %9s %6s %10s %8s %s\n' case "input MB" exit "wall s" "peak MB" RSS/in "written MB" "page MB" staging
for kind in ${MEASURE_CASES:-lt-field nul-field nul-file quotes columns header long-lines categories}; do
	hostile "$kind"
	in=$(cat "$DIR"/in/*.csv | wc -c)
	rm -rf "$DIR/out"
	$TIME -v -o "$DIR/time" "$C360" build --data "$DIR/in" --out "$DIR/out" ${MEASURE_CONF:+--config "$MEASURE_CONF"} >/dev/null 2>"$DIR/err"
	rc=$?
	kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time")
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time")
	out=$(du -sk "$DIR/out" 2>/dev/null | cut -f1)
	page=$(find "$DIR/out" -name '*.html' -printf '%s\n' 2>/dev/null | sort -n | tail -1)
	left=$(ls "$DIR" | grep -c '\.tmp-')
	printf '%-11s %9.1f %4s %8s %9d %6.2f %10.1f %8.2f %s\n' "$kind" "$(echo "$in / 1048576" | bc -l)" $rc "$wall" \
		$((kb / 1024)) "$(echo "$kb * 1024 / $in" | bc -l)" "$(echo "${out:-0} / 1024" | bc -l)" \
		"$(echo "${page:-0} / 1048576" | bc -l)" "$left"
	[ $rc = 0 ] || sed 's/^/    /' "$DIR/err" | head -3
done
rm -rf "$DIR/in" "$DIR/out"
