#!/bin/sh
# render.sh — c360 render: the site from gold tables. A build's own gold/ renders a site
# byte-identical to the build; a gold folder written by hand the way Spark writes it renders;
# gold that is wrong stops the render with file:line:col and leaves --out whole.
# Usage: tests/render.sh   (C360 names the binary; BIG=0 skips the 10,000-customer case)
set -u
BIG=${BIG:-1}
. tests/lib.sh
SPARK=tests/render/spark-gold

# same DIR_A DIR_B WHAT [NAME]: the two folders hold the same files, byte for byte (but for what
# each was made from, .c360-inputs, a build's cache of its exports, .c360-cache, and the file NAME).
same() {
	if diff -r -x .c360-inputs -x .c360-cache ${4:+-x "$4"} "$1" "$2" >"$T/diff"; then pass; else
		fail "$3 differ:"
		head -20 "$T/diff"
	fi
}

# built_and_rendered NAME ARGS...: builds from ARGS, renders from the build's gold/, compares.
built_and_rendered() {
	name=$1
	shift
	run 0 build "$@" --out "$T/$name-build"
	run 0 render --gold "$T/$name-build/gold" --out "$T/$name-render"
	same "$T/$name-build" "$T/$name-render" "$name: the build and the render of its gold"
}

# ---- a build's own gold renders the same site, every file of it
built_and_rendered fixture --data "$FIXTURE"
# ... ids that start with a byte-order mark (U+FEFF), first in their gold rows: quoted there, since
# at a line's start a reader takes the mark for a file's (two exports joined by cat) and drops it;
# and so is any text that starts with one, as the schema says (a name, a location)
mkdir -p "$T/bom"
cp "$FIXTURE"/*.csv "$T/bom/"
printf '"\357\273\277zz",Bom Person,b@example.com,F,1990-01-01,Paris\n' >>"$T/bom/customers.csv"
printf 'yy,"\357\273\277Bom Name",y@example.com,F,1990-01-01,"\357\273\277Lyon"\n' >>"$T/bom/customers.csv"
printf '"\357\273\277o1","\357\273\277zz",2024-03-01,5.00,completed\n' >>"$T/bom/orders.csv"
built_and_rendered bom --data "$T/bom" --as-of 2024-03-11
for table in dim_customer customer_360; do
	grep -a -q "^[0-9]*,*yy,\"$(printf '\357\273\277')Bom Name\"," "$T/bom-build/gold/$table.csv" && pass ||
		fail "$table.csv: a name that starts with U+FEFF is not quoted: $(grep -a ',yy,' "$T/bom-build/gold/$table.csv")"
done
grep -a -q ",\"$(printf '\357\273\277')Lyon\"," "$T/bom-build/gold/dim_customer.csv" && pass ||
	fail "dim_customer.csv: a location that starts with U+FEFF is not quoted"
C360_CHUNK_MIN=64 run 0 render --gold "$T/fixture-build/gold" --out "$T/fixture-chunks" --jobs 3
same "$T/fixture-build" "$T/fixture-chunks" "fixture: the build and the render of its gold read in 64-byte chunks"
# A page of two 300-byte lines on line 6 or 10 of fact_sessions.csv: a chunk starts inside it,
# and the chunk before reads on past the rows lent to it (one per line end of its own bytes)
# with rows of its own. The site is the one the file read in one piece gives.
for line in 6 10; do
	rm -rf "$T/gold-long" && cp -r "$T/fixture-build/gold" "$T/gold-long"
	awk -F, -v OFS=, -v line=$line 'NR == line { s = "\"" $5; for (i = 0; i < 300; i++) s = s "x"; s = s "\n"
		for (i = 0; i < 300; i++) s = s "y"; $5 = s "\"" } { print }' \
		"$T/fixture-build/gold/fact_sessions.csv" >"$T/gold-long/fact_sessions.csv"
	run 0 render --gold "$T/gold-long" --out "$T/long-whole" --jobs 1
	C360_CHUNK_MIN=64 run 0 render --gold "$T/gold-long" --out "$T/long-chunks" --jobs 3
	same "$T/long-whole" "$T/long-chunks" "a long page on line $line: the gold read in one piece and in 64-byte chunks"
	rm -rf "$T/long-whole" "$T/long-chunks"
done
if have_tutorial "render of the tutorial's gold"; then
	built_and_rendered tutorial --data "$TUTORIAL"
fi
if [ "$BIG" = 1 ]; then
	run 0 generate --customers 10000 --seed 7 --out "$T/g10k"
	built_and_rendered g10k --data "$T/g10k"
fi

# ---- gold written by hand the way Spark writes it: a folder per table (one named NAME.csv),
# part files with a header each (one empty), _SUCCESS and .crc files beside them, ISO
# timestamps with milliseconds and offsets. Its figures were worked out by hand for the exports
# in tests/render/spark-raw (tests/render/README.md), and c360 building those makes the same site.
run 0 render --gold "$SPARK" --out "$T/spark"
for t in kpi_summary payment_mode_split device_preference customer_360 dim_customer fact_orders fact_payments \
	fact_tickets quarantine data_quality dim_date; do
	dir="$SPARK/$t"
	[ -d "$dir" ] || dir="$SPARK/$t.csv"
	awk 'FNR == 1 && NR != 1 { next } { print }' "$dir"/part-* >"$T/parts.csv"
	cp "$T/spark/gold/$t.csv" "$T/rendered.csv"
	[ $t != customer_360 ] || sed -i 's/,[0-9a-z_]*$//' "$T/rendered.csv"	# its customer_key, which these parts lack
	cmp -s "$T/parts.csv" "$T/rendered.csv" && pass || fail "spark: $t.csv is not its parts together"
done
file_has "$T/spark/gold/fact_sessions.csv" "^S3,$(ckey "$T/spark" C2),20240511,2024-05-11 10:00:00,/help,Android,Mobile,4,$"
file_has "$T/spark/index.html" '<p class="value">53.50</p>'
file_has "$T/spark/index.html" 'Cash and Credit Card (tied): each one&#39;s share of successful payments (the most used of 2 methods)'
[ "$(find "$T/spark/customers" -path '*/customers/??/*.html' | wc -l)" = 3 ] && pass || fail "spark: three customer pages"
grep -q 'Refund, Late' "$T/spark/customers/"*/c2~*.html && pass || fail "spark: C2's ticket"
run 0 build --data tests/render/spark-raw --as-of 2024-05-15 --out "$T/spark-built"
same "$T/spark" "$T/spark-built" "spark: the render and the build of the same data (tests/render/spark-raw)"
run 0 render --gold "$T/spark/gold" --out "$T/spark-again"
same "$T/spark" "$T/spark-again" "spark: a render and the render of its gold"

# ---- shards: shard K of N writes the customer pages of the folders K modulo N, shard 0 also
# everything else; run with GNU parallel as docs/scale-out.md shows, their files are disjoint
# (but each one's manifest .c360-site of its own files, .c360-inputs and .c360-cache) and together they
# are the unsharded site.
# Without GNU parallel the shards run one after the other, and the parallel form is skipped.
command -v parallel >/dev/null || {
	skipped=$((skipped + 1))
	echo "skipped: the GNU parallel form of docs/scale-out.md (no parallel; scripts/install-deps installs it)"
}
# run_shards ARGS...: c360 ARGS as shards 0 to $count - 1 of $count into $T/$name-K.
run_shards() {
	if command -v parallel >/dev/null; then
		# shellcheck disable=SC2086
		parallel --will-cite --halt now,fail=1 $C360 "$@" --out "$T/$name-{}" --shard "{}/$count" --jobs 1 \
			::: $(seq 0 $((count - 1)))
		return
	fi
	for k in $(seq 0 $((count - 1))); do
		$C360 "$@" --out "$T/$name-$k" --shard "$k/$count" --jobs 1 || return
	done
}
# shards NAME N WHOLE ARGS...: runs c360 ARGS as N shards into $T/NAME-K, joins them in $T/NAME.
shards() {
	name=$1 count=$2 whole=$3
	shift 3
	run_shards "$@" >"$T/out" 2>"$T/err" && pass || fail "shards $name: $(head -3 "$T/err")"
	mkdir -p "$T/$name"
	for k in $(seq 0 $((count - 1))); do
		(cd "$T/$name-$k" && find . -path ./.c360-cache -prune -o -type f ! -name .c360-site ! -name .c360-inputs -print) >>"$T/$name.files"
		cp -r "$T/$name-$k/." "$T/$name/"
	done
	sort "$T/$name.files" | uniq -d | grep -q . && fail "shards $name: a file in two shards" || pass
	same "$T/$name" "$whole" "$count shards together and the whole site" .c360-site
}
shards render1 1 "$T/fixture-build" render --gold "$T/fixture-build/gold"
shards render3 3 "$T/fixture-build" render --gold "$T/fixture-build/gold"
shards render16 16 "$T/fixture-build" render --gold "$T/fixture-build/gold"
shards build3 3 "$T/fixture-build" build --data "$FIXTURE"
shards build16 16 "$T/fixture-build" build --data "$FIXTURE"
# ... and each says what it wrote: its folders' pages (shard 0 the rest of the site too), not the
# whole site's
$C360 build --data "$FIXTURE" --out "$T/shard-says" --shard 1/3 2>"$T/err" >/dev/null &&
	grep -q "wrote $T/shard-says, shard 1 of 3: the customer pages of the folders 1 modulo 3 (as of" "$T/err" &&
	! grep -q "index.html" "$T/err" && pass || fail "shard 1 of 3 says: $(tail -n 1 "$T/err")"
rm -rf "$T/shard-says"
# ... in every customer_pages mode: shard K writes the packs K modulo N
run 0 generate --customers 300 --seed 2 --out "$T/g300"
for mode in packed "top 30" none; do
	printf 'customer_pages = %s\n' "$mode" >"$T/mode.conf"
	run 0 build --data "$T/g300" --config "$T/mode.conf" --out "$T/mode-build"
	shards "mode3-${mode% *}" 3 "$T/mode-build" build --data "$T/g300" --config "$T/mode.conf"
	run 0 render --gold "$T/mode-build/gold" --config "$T/mode.conf" --out "$T/mode-render"
	same "$T/mode-build" "$T/mode-render" "$mode: the build and the render of its gold"
	rm -rf "$T/mode-build" "$T/mode-render"
done
[ "$(ls "$T/mode3-packed-1/customers/packed")" = 1.js ] && pass || fail "shard 1 of 3 holds packs $(ls "$T/mode3-packed-1/customers/packed")"
(cd "$T/render16-5" && find . -type f | sort) >"$T/shard5"
(cd "$T/render16" && { echo ./.c360-site; echo ./.c360-inputs; find ./customers -path './customers/?5/*' -type f; } | sort) >"$T/folders5"
cmp -s "$T/shard5" "$T/folders5" && pass || fail "shard 5 of 16 holds the folders ?5 and nothing else"
if [ "$BIG" = 1 ]; then
	shards g10k3 3 "$T/g10k-build" render --gold "$T/g10k-build/gold"
fi
run 2 render --gold "$SPARK" --shard 3/3 --out "$T/x"
run 2 build --shard 1/0 --out "$T/x"
run 2 check --shard 0/2

# ---- gold that is wrong: the problem named by file, line and column; --out left as it was
run 0 build --data "$FIXTURE" --out "$T/keep"
cp -r "$T/keep" "$T/keep.before"
# spoil NAME SED_SCRIPT FILE: a copy of the fixture's gold with FILE edited by SED_SCRIPT.
spoil() {
	rm -rf "$T/$1"
	cp -r "$T/keep/gold" "$T/$1"
	sed -i "$2" "$T/$1/$3"
}
bad() { # bad NAME MESSAGE: the render of $T/NAME fails saying MESSAGE
	run 1 render --gold "$T/$1" --out "$T/keep"
	err_has "$2"
	err_has "c360: the render stopped; $T/keep is unchanged"
}
spoil missing '' kpi_summary.csv && rm "$T/missing/fact_orders.csv"
bad missing "missing/fact_orders.csv: error: required file missing"
spoil header '1s/,amount,/,amt,/' fact_orders.csv
bad header "header/fact_orders.csv:1: error: required column \"amount\" missing; the header has: order_id, customer_key"
spoil money '2s/,120.50,/,120.505,/' fact_orders.csv
bad money 'money/fact_orders.csv:2:5: error: amount "120.505" is not a number with at most two decimals'
spoil key '3s/^5002,[0-9]*,/5002,99,/' fact_orders.csv
bad key 'key/fact_orders.csv:3:2: error: customer_key "99" is not in the table it refers to'
spoil negkey '3s/^5002,[0-9]*,/5002,-1,/' fact_orders.csv
bad negkey 'negkey/fact_orders.csv:3:2: error: customer_key "-1" is not a whole number of 1 to 999,999,999,999,999'
spoil bigkey '3s/^5002,[0-9]*,/5002,1000000000000000,/' fact_orders.csv
bad bigkey 'bigkey/fact_orders.csv:3:2: error: customer_key "1000000000000000" is not a whole number of 1 to 999,999,999,999,999'
spoil valid '2s/,true,2,$/,false,2,/' fact_orders.csv
bad valid 'valid/fact_orders.csv:2:7: error: is_valid "false" disagrees with the rest of the gold tables'
spoil when '2s/2024-03-03 22:30:00/2024-03-03 25:30:00/' fact_sessions.csv
bad when 'when/fact_sessions.csv:2:4: error: session_time "2024-03-03 25:30:00" is not a date YYYY-MM-DD'
spoil datekey '2s/^5001,\([0-9]*\),20240220,/5001,\1,20240221,/' fact_orders.csv
bad datekey 'datekey/fact_orders.csv:2:3: error: date_key "20240221" disagrees with the rest of the gold tables'
spoil nokey '3s/^5002,\([0-9]*\),20240215,/5002,\1,,/' fact_orders.csv
bad nokey 'nokey/fact_orders.csv:3:3: error: date_key "" disagrees with the rest of the gold tables'
# date_key is the day in UTC: 22:30 at UTC-5 is the next day's 03:30
spoil utckey '2s/2024-03-03 22:30:00/2024-03-03T22:30:00-05:00/' fact_sessions.csv
bad utckey 'utckey/fact_sessions.csv:2:3: error: date_key "20240303" disagrees with the rest of the gold tables'
spoil inferred 's/^customers,inferred_customers,,3,$/customers,inferred_customers,,2,/' data_quality.csv
bad inferred 'inferred/data_quality.csv:7:4: error: value "2" disagrees with the rest of the gold tables'
# a warning row: a file-level warning's code, its line a line number
spoil warncode 's/^orders,warning,unknown_status,19,/orders,warning,invalid_date,19,/' data_quality.csv
bad warncode 'warncode/data_quality.csv:62:3: error: item "invalid_date" is not one of the names the gold schema allows'
spoil warnline 's/^orders,warning,unknown_status,19,/orders,warning,unknown_status,-19,/' data_quality.csv
bad warnline 'warnline/data_quality.csv:62:4: error: value "-19" is not a whole number'
[ "$(grep -c 'error: ' "$T/err")" = 1 ] && pass || fail "one error for the line: $(grep 'error: ' "$T/err")"
spoil gender '2s/,Female,/,female,/' dim_customer.csv
bad gender 'gender/dim_customer.csv:2:5: error: gender "female" is not one of the names the gold schema allows'
# two rows of one customer_id (a build quarantines the later as duplicate_key): one page for two
spoil twice '3s/^\([0-9]*\),[^,]*,/\1,101,/' dim_customer.csv && sed -i '3s/^102,/101,/' "$T/twice/customer_360.csv"
bad twice 'twice/dim_customer.csv:3:2: error: customer_id "101" is an earlier row'"'"'s too: a customer is one row'
# two customers of one customer_key: a fact's key would name both
spoil twicekey "3s/^[0-9]*,/$(sed -n '2s/,.*//p' "$T/keep/gold/dim_customer.csv"),/" dim_customer.csv
bad twicekey "twicekey/dim_customer.csv:3:1: error: customer_key \"$(sed -n '2s/,.*//p' "$T/keep/gold/dim_customer.csv")\" is an earlier row's too"
# another engine's keys (1, 2, ... here): any whole numbers, each naming one customer, make the
# same pages; a render writes them back as they were
python3 - "$T/keep/gold" "$T/renumbered" <<-'PY'
	import csv, shutil, sys
	src, dst = sys.argv[1:]
	shutil.copytree(src, dst)
	def rewrite(name, col, new):
	    rows = list(csv.reader(open(f"{dst}/{name}.csv", encoding="utf-8", newline="")))
	    for r in rows[1:]:
	        r[col] = new(r[col])
	    csv.writer(open(f"{dst}/{name}.csv", "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
	keys = {}
	rewrite("dim_customer", 0, lambda k: keys.setdefault(k, str(len(keys) + 1)))
	for t in ("fact_orders", "fact_payments", "fact_tickets", "fact_sessions"):
	    rewrite(t, 1, lambda k: keys[k])
	rewrite("customer_360", -1, lambda k: keys[k])
	PY
run 0 render --gold "$T/renumbered" --out "$T/renumbered-site"
diff -r -x .c360-inputs -x .c360-cache -x .c360-site -x gold "$T/keep" "$T/renumbered-site" >"$T/diff" && pass ||
	fail "pages of renumbered customer_keys differ: $(head -5 "$T/diff")"
sed -n 2p "$T/renumbered-site/gold/fact_orders.csv" | grep -q '^5001,[0-9],' && pass ||
	fail "the render's gold keeps the folder's keys: $(sed -n 2p "$T/renumbered-site/gold/fact_orders.csv")"
# kpi_summary's figures are the fact tables' and customer_360's (helper 128: a card of 5 beside
# a churn-risk list of 4 was rendered): a blank total_customers, a count one more, a previous
# week's revenue one cent more, a customer_360 row at churn risk no more, each stop the render
spoil nobuyers 's/^total_customers,[0-9]*,/total_customers,,/' kpi_summary.csv
run 1 render --gold "$T/nobuyers" --out "$T/nobuyers-site"
err_has "kpi_summary.csv:[0-9]*:2: error: total_customers value \"–\" is not what the fact tables and customer_360 give: 14$"
# bump NAME AWK: a copy of the kept gold whose kpi_summary.csv the awk program changed
bump() {
	spoil "$1" '' kpi_summary.csv
	awk -F, -v OFS=, "$2" "$T/keep/gold/kpi_summary.csv" >"$T/$1/kpi_summary.csv"
}
bump morerisk '$1 == "churn_risk_customers" { $2 = $2 + 1 } 1'
run 1 render --gold "$T/morerisk" --out "$T/morerisk-site"
err_has "kpi_summary.csv:[0-9]*:2: error: churn_risk_customers value \"[0-9]*\" is not what the fact tables and customer_360 give: [0-9]*$"
bump lastweek '$1 == "total_revenue" { $3 = sprintf("%.2f", $3 + 0.01) } 1'
run 1 render --gold "$T/lastweek" --out "$T/lastweek-site"
err_has "kpi_summary.csv:[0-9]*:3: error: total_revenue previous_week \"[0-9.]*\" is not what the fact tables and customer_360 give: [0-9.]*$"
# payment_mode_split in another order (a Spark job's): the most used method is still the first
spoil reversed '' payment_mode_split.csv
{ head -1 "$T/keep/gold/payment_mode_split.csv"; tail -n +2 "$T/keep/gold/payment_mode_split.csv" | tac; } \
	>"$T/reversed/payment_mode_split.csv"
run 0 render --gold "$T/reversed" --out "$T/reversed-site"
cmp -s "$T/keep/index.html" "$T/reversed-site/index.html" && cmp -s "$T/keep/weekly/email.html" "$T/reversed-site/weekly/email.html" &&
	pass || fail "payment_mode_split reversed: the dashboard or the e-mail differ"
spoil notrisk '' customer_360.csv
awk -F, 'BEGIN { OFS = "," } !done && $(NF - 2) == "true" { $(NF - 2) = "false"; done = 1 } 1' "$T/notrisk/customer_360.csv" >"$T/c360x" &&
	mv "$T/c360x" "$T/notrisk/customer_360.csv"
run 1 render --gold "$T/notrisk" --out "$T/notrisk-site"
err_has "customer_360.csv: error: churn_risk is true on [0-9]* rows, and the fact tables give [0-9]* customers at churn risk$"
err_has "notrisk/customer_360.csv:[0-9]*:28: error: churn_risk \"false\" is not what the fact tables give this customer: \"true\"$"
# ... and each row of customer_360 is what the fact tables give its customer (helper 128: a page
# said "1 open of 2", customer_360's open tickets of the fact rows' count): one figure changed,
# in a file of its columns reversed, is an error at its line and column; the rows around it pass
spoil moreopen '' customer_360.csv
set -- $(python3 - "$T/keep/gold/customer_360.csv" "$T/moreopen/customer_360.csv" <<-'PY'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
	line = next(n for n, r in enumerate(rows[1:], 2) if int(r[19]) > 0)	# open_tickets
	print(line, rows[line - 1][19])
	rows[line - 1][19] = str(int(rows[line - 1][19]) + 1)
	csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(r[::-1] for r in rows)
	PY
)
line=$1 open=$2
run 1 render --gold "$T/moreopen" --out "$T/moreopen-site"
err_has "moreopen/customer_360.csv:$line:11: error: open_tickets \"$((open + 1))\" is not what the fact tables give this customer: \"$open\"$"
[ "$(grep -c 'is not what the fact tables give this customer' "$T/err")" = 1 ] && pass ||
	fail "rows of customer_360 that agree with the facts were said not to: $(cat "$T/err")"
# ... and a customer's valid orders that add up past 64 bits of cents, each week's sum within
# them (ten orders of 10^16 - 0.01 a week apart), are said at its row's lifetime_value
spoil overflow '' fact_orders.csv
line=$(python3 - "$T/overflow" <<-'PY'
	import csv, datetime, sys
	gold = sys.argv[1]
	dim = list(csv.reader(open(f"{gold}/dim_customer.csv", encoding="utf-8", newline="")))
	key, cid = dim[1][0], dim[1][1]
	with open(f"{gold}/fact_orders.csv", "a", encoding="utf-8", newline="") as f:
	    for k in range(10):
	        day = datetime.date(2020, 1, 6) + datetime.timedelta(weeks=k)
	        f.write(f"x{k},{key},{day:%Y%m%d},{day},9999999999999999.99,Completed,true,{900 + k},\n")
	c360 = list(csv.reader(open(f"{gold}/customer_360.csv", encoding="utf-8", newline="")))
	print(next(n for n, r in enumerate(c360[1:], 2) if r[0] == cid))
	PY
)
run 1 render --gold "$T/overflow" --out "$T/overflow-site"
err_has "overflow/customer_360.csv:$line:11: error: lifetime_value: the customer's valid orders in fact_orders add up to more than c360 can count$"
# customer_360 repeating a customer: a row copied to its end, or after itself (the rows after it
# are then out of place and said to disagree)
spoil twice360 '' customer_360.csv && sed -n '2p;2p' "$T/twice360/customer_360.csv" >>"$T/twice360/customer_360.csv"
rows=$(wc -l <"$T/keep/gold/customer_360.csv")
bad twice360 "twice360/customer_360.csv:$((rows + 1)):1: error: customer_id \"101\" is an earlier row's too"
err_has "twice360/customer_360.csv:$((rows + 2)):1: error: customer_id \"101\" disagrees"	# not a second verdict
spoil after360 '3p' customer_360.csv
bad after360 'after360/customer_360.csv:4:1: error: customer_id "102" is an earlier row'"'"'s too: a customer is one row'
err_has 'after360/customer_360.csv:5:1: error: customer_id "103" disagrees with the rest of the gold tables'
# ... the last row, now beyond dim_customer's, is not called a repeat (it is its own customer)
grep -q "after360/customer_360.csv:$((rows + 1)):1: .*earlier row" "$T/err" && fail "the shifted last row called a repeat" || pass
# customer_360's customer_key (its last column) is dim_customer's for the same row: for Power BI's
# one-to-one relationship, which customer_id cannot carry where two ids differ by case alone
awk -F, 'NR > 1 { print $1 "," $NF }' "$T/keep/gold/customer_360.csv" >"$T/keys360"
awk -F, 'NR > 1 { print $2 "," $1 }' "$T/keep/gold/dim_customer.csv" >"$T/keysdim"
if [ "$(head -1 "$T/keep/gold/customer_360.csv" | awk -F, '{ print $NF }')" = customer_key ] && [ -s "$T/keys360" ] &&
	cmp -s "$T/keys360" "$T/keysdim"; then pass; else fail "customer_360's customer_key is not dim_customer's"; fi
# ... another row's key there is an error at its cell; gold without the column (an earlier c360's)
# renders the same site
spoil key360 "3s/,[0-9]*\$/,$(sed -n 2p "$T/keep/gold/dim_customer.csv" | cut -d, -f1)/" customer_360.csv
bad key360 "key360/customer_360.csv:3:30: error: customer_key \"$(sed -n 2p "$T/keep/gold/dim_customer.csv" | cut -d, -f1)\" disagrees with the rest of the gold tables"
spoil nokey360 's/,[^,]*$//' customer_360.csv
run 0 render --gold "$T/nokey360" --out "$T/nokey360-site"
run 0 render --gold "$T/keep/gold" --out "$T/key360-site"
diff -r -x '.c360-*' "$T/key360-site" "$T/nokey360-site" >"$T/diff" && pass || fail "gold without customer_360's customer_key: $(head -3 "$T/diff")"
spoil kpi '/^total_revenue,/d' kpi_summary.csv
bad kpi 'kpi/kpi_summary.csv: error: no row for kpi "total_revenue"'
spoil parts '' kpi_summary.csv && rm "$T/parts/fact_tickets.csv" && mkdir "$T/parts/fact_tickets" &&
	: >"$T/parts/fact_tickets/_SUCCESS"
bad parts "parts/fact_tickets: error: a table folder without part-\*.csv files"
# money from elsewhere that adds up past 64 bits of cents: 20 lifetime values of 10^16 - 0.01
spoil sum '' customer_360.csv
sed -i -E '2,$s/,[^,]*((,[^,]*){19})$/,9999999999999999.99\1/; 2,$s/,[^,]*(,[^,]*)$/,New\1/' "$T/sum/customer_360.csv"
bad sum "sum/customer_360.csv: error: the lifetime values of a segment add up to more than 92,233,720,368,547,758.07"
same "$T/keep" "$T/keep.before" "a failed render: --out"

# ---- a fact table's file read in chunks by threads: the same problems at the same lines,
# whatever --jobs. fact_orders: 300 rows, 64-byte chunks, wrong amounts on lines 50, 150 and
# 290 (the first three are shown) and 295, an unknown customer on 200. fact_sessions: a
# page of 100 quoted lines (201-300) where some chunks start inside a record (dropped, read
# again by the chunk before), wrong times on 5, 350, 480 and 490, an unknown customer on 150.
spoil chunks '' kpi_summary.csv
k=$(ckey "$T/keep" 101)
awk -v k="$k" 'BEGIN { print "order_id,customer_id,date_key,order_date,amount,status,is_valid,source_line,flags"
	for (l = 2; l <= 300; l++) printf "O%d,%s,20240220,2024-02-20,%s,Completed,true,2,\n", l,
		l == 200 ? 99 : k, l == 50 || l == 150 || l == 290 || l == 295 ? "1.005" : "120.50" }' |
	sed 1s/customer_id/customer_key/ >"$T/chunks/fact_orders.csv"
awk -v k="$k" 'BEGIN { print "session_id,customer_key,date_key,session_time,page_viewed,device_type,channel,source_line,flags"
	for (l = 2; l <= 500; l++) {
		if (l > 201 && l <= 300) { printf "%s%s\n", sprintf("%98s", "x"), l == 300 ? "\",Android,Mobile,2," : ""; continue }
		printf "S%d,%s,20240303,2024-03-03 %s:30:00,%s", l, l == 150 ? 99 : k,
			l == 5 || l == 350 || l == 480 || l == 490 ? 25 : 22, l == 201 ? "\"/home\n" : "/home,Android,Mobile,2,\n" } }' \
	>"$T/chunks/fact_sessions.csv"
for jobs in 1 2 3 4 7; do
	C360_CHUNK_MIN=64 run 1 render --gold "$T/chunks" --out "$T/keep" --jobs "$jobs"
	mv "$T/err" "$T/err-jobs$jobs"
done
cp "$T/err-jobs1" "$T/err"
err_has 'chunks/fact_orders.csv:290:5: error: amount "1.005" is not a number with at most two decimals'
err_has 'chunks/fact_orders.csv:200:2: error: customer_key "99" is not in the table it refers to'
err_has 'chunks/fact_orders.csv: error: 1 more gold_decimal (4 times in all; --verbose lists them)'
err_has 'chunks/fact_sessions.csv:480:4: error: session_time "2024-03-03 25:30:00" is not a date'
err_has 'chunks/fact_sessions.csv:150:2: error: customer_key "99" is not in the table it refers to'
for jobs in 2 3 4 7; do
	cmp -s "$T/err-jobs1" "$T/err-jobs$jobs" && pass || fail "the problems read on $jobs threads differ: $(diff "$T/err-jobs1" "$T/err-jobs$jobs" | head -5)"
done
ls "$T" | grep -q 'keep\.tmp' && fail "a staging folder was left behind" || pass

# ---- the command line
run 2 render --out "$T/x"
err_has "^c360: render needs --gold$"
err_has "^usage: c360 render   --gold DIR "
run 2 render --gold "$T/keep/gold" --out "$T/keep"	# the render would replace the gold it reads
err_has "^c360: --out cannot hold the gold folder, which a render would replace: $T/keep$"
run 2 render --gold "$T/keep/gold" --out "$T/keep/gold/site"
err_has "^c360: --out cannot be inside the gold folder: "
same "$T/keep" "$T/keep.before" "--out after usage errors"
run 1 render --gold "$T/no-gold" --out "$T/x"	# one error, not one a table
[ "$(cat "$T/err")" = "c360: error: cannot open the gold folder: $T/no-gold (No such file or directory)
c360: the render stopped; $T/x was not created" ] && pass || fail "render of no gold folder said: $(head -3 "$T/err")"
run 1 render --gold "$T/keep" --out "$T/x"	# a site's folder, not its gold/: one error naming gold/
[ "$(cat "$T/err")" = "c360: error: $T/keep holds no gold tables, but its gold/ folder does (a site's): --gold $T/keep/gold
c360: the render stopped; $T/x was not created" ] && pass || fail "render of a site's folder said: $(head -3 "$T/err")"
run 2 render --gold "$SPARK" --data "$FIXTURE" --out "$T/x"
run 2 build --gold "$SPARK" --out "$T/x"

# ---- the fonts are found before the render threads start (text_fonts_load): fontconfig, which
# does not handle every failed allocation, is not reached from the charts' or the PDF's thread,
# beside page threads that may have taken the memory (ulimit -v); Pango's own thread finds what
# text_fonts_load asks it for. Where gdb is, and the binary runs alone (not under valgrind).
case $C360 in *valgrind*) gdb_ok=0 ;; *) command -v gdb >/dev/null && gdb_ok=1 || gdb_ok=0 ;; esac
if [ "$gdb_ok" = 1 ]; then
	for f in FcFontMatch FcFontSort FcFontSetMatch FcFontSetSort FcFontRenderPrepare g_thread_new; do
		printf 'break %s\ncommands\nsilent\nbt 30\ncont\nend\n' $f
	done | { printf 'set pagination off\nset breakpoint pending on\n'; cat; echo run; } >"$T/fonts.gdb"
	# (and Pango's threads that match fonts, which GLib aborts the build for when it cannot make
	# them: an emoji's fonts were matched on the thread that drew it, ulimit -v ended it)
	# customers at churn risk named in Thai, Chinese, Korean, emoji, Ethiopic and Tamil: fonts
	# beyond DejaVu Sans, and characters no font here may have (Pango tries every font for them)
	mkdir -p "$T/fonts"
	cp "$FIXTURE"/*.csv "$T/fonts/"
	sed -i -e "s/^104,[^,]*,/104,$(printf '\340\270\252\340\270\241\340\270\212\340\270\262\340\270\242 \360\237\230\200 \341\210\264\340\256\244'),/" \
		-e "s/^106,[^,]*,/106,$(printf '\346\235\216\344\274\237'),/" \
		-e "s/^116,[^,]*,/116,$(printf '\352\271\200\353\257\274\354\210\230 \360\237\246\204'),/" "$T/fonts/customers.csv"
	run 0 build --quiet --data "$T/fonts" --as-of 2024-03-11 --out "$T/fonts-build"
	timeout -s KILL "$LIMIT" gdb -q -batch -x "$T/fonts.gdb" --args $C360 render --jobs 2 --gold "$T/fonts-build/gold" \
		--out "$T/fonts-site" >"$T/fonts.out" 2>&1
	grep -q 'text_fonts_load' "$T/fonts.out" && [ -s "$T/fonts-site/weekly/report.pdf" ] && pass ||
		fail "the fonts were not found first: $(tail -3 "$T/fonts.out")"
	grep -q 'edition_pdf (\|chart_png (' "$T/fonts.out" &&
		fail "a font found on a render thread: $(grep -m1 -B3 'edition_pdf (\|chart_png (' "$T/fonts.out")" || pass
	# ... and a title too wide for the PDF's header is cut in a few measures, not one a character
	# (a title of 4,000 was laid out 4,000 times a page: 17 s a build)
	printf 'title = "%s"\n' "$(head -c 4000 /dev/zero | tr '\0' T)" >"$T/long-title.toml"
	printf 'set pagination off\nbreak text_measure\ncommands\nsilent\ncont\nend\nrun\ninfo breakpoints\n' >"$T/measure.gdb"
	: >"$T/no-title.toml"
	for cfg in "$T/no-title.toml" "$T/long-title.toml"; do
		timeout -s KILL "$LIMIT" gdb -q -batch -x "$T/measure.gdb" --args $C360 render --jobs 1 --quiet --config "$cfg" \
			--gold "$T/fonts-build/gold" --out "$T/measure-site" 2>&1 | sed -n 's/.*already hit \([0-9]*\) time.*/\1/p'
	done >"$T/measures"
	[ "$(wc -l <"$T/measures")" = 2 ] && [ "$(sed -n 2p "$T/measures")" -le $(($(sed -n 1p "$T/measures") + 200)) ] && pass ||
		fail "a title of 4,000 characters: text_measure $(tr '\n' ' ' <"$T/measures")times, the default title's and its"
else
	skipped=$((skipped + 1))
	echo "skipped: the fonts matched before the threads (no gdb, or under valgrind)"
fi

finish render
