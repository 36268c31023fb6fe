#!/bin/sh
# bench.sh — c360 at 10k / 100k / 1M customers against floors measured in the same run.
# Usage: tests/bench.sh [./c360]
#   BENCH_SIZES="10000 100000 1000000"  BENCH_RUNS=3  BENCH_DISK=build/bench
#   BENCH_TMPFS=/dev/shm/c360-bench  BENCH_TMPFS_MAX=100000 (larger sizes are built on disk only)
#   BENCH_SETTLE=20 (seconds of quiet before each disk measurement)
#   BENCH_BASE=/path/to/an/older/c360 (its full build and rebuilds are timed in the same runs,
#     each right after this binary's: before/after)
#   BENCH_REBUILDS=1 (0: leave out the two rebuilds and the editions)
#   BENCH_FS="tmpfs disk" (the file systems to build on)
#
# For each size, BENCH_RUNS runs, each doing every measurement once (interleaved), then medians:
# - full build on tmpfs and on disk: wall, user and system CPU, peak RSS, input rows/s, pages/s
#   (customer pages, or customers in packed mode);
# - the floor on the same file system: reading the inputs once (cat) plus cp -r of the site the
#   build produced;
# - c360 render --gold from the build's gold/ into a new folder, against the render part of the
#   build (its wall time less reading, cleaning and the KPIs, from C360_TIMINGS);
# - a build with --customer-pages none into a new folder: the user CPU of a full build less its
#   own, over the customers, is the user CPU a customer page costs (or a packed customer);
# - with BENCH_BASE, the older binary's full build, and its render part, and each of the
#   rebuilds below done by it on its own site right after this binary's;
# - a rebuild into the same --out with nothing changed, one after 1 % of the customers got a
#   new order (the first rebuild after a full build: no spare), then one after another 1 % got
#   one (the weekly case: the site before the previous one is there as the spare, .c360-prev,
#   and taken as the staging folder): wall, and files written and kept;
# - after the last rebuild, the rebuild's floor on the same file system: find listing the size
#   and time of every file of the site (what any tool must do at least to know that each file it
#   keeps is still what it wrote; c360 reads them in folders on two threads);
# - once per size: two editions a week apart on the same data, committed to git by c360 publish:
#   how many files the second commit changes, and how many of them are customer pages.
set -eu
C360=${1:-./c360}
case $C360 in /*) ;; *) C360=$PWD/$C360 ;; esac
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
RUNS=${BENCH_RUNS:-3}
DISK=${BENCH_DISK:-build/bench}
TMPFS=${BENCH_TMPFS:-/dev/shm/c360-bench}
TMPFS_MAX=${BENCH_TMPFS_MAX:-100000}
SETTLE=${BENCH_SETTLE:-20}
BASE=${BENCH_BASE:-}
REBUILDS=${BENCH_REBUILDS:-1}
[ -z "$BASE" ] || case $BASE in /*) ;; *) BASE=$PWD/$BASE ;; esac
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: needs GNU time (Debian package \"time\")" >&2; exit 1; }
mkdir -p "$DISK" "$TMPFS"
DISK=$(cd "$DISK" && pwd)
export TZ=UTC C360_TIMINGS=1

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : "-" }'; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.3f\n", e - s }'; }
settle() { sync; sleep "$SETTLE"; }

inodes() { [ -d "$1" ] && find "$1" -path "$1/.c360-prev" -prune -o -type f -printf '%i\n' | sort || :; }	# the site's, not its spare's

# build KEY OUT DATA [ARGS...]: one timed build (of $BIN, c360 unless set); appends "wall user sys rss_kb" to $R/KEY and
# "written kept" to $R/KEY.files: the files of the new site that are the previous one's (the
# same inode: linked, or left in place) are kept, the others written.
build() {
	key=$1 out=$2 from=$3	# sh has no local variables: not "data"
	shift 3
	inodes "$out" >"$R/ino.before"
	$TIME -f "%e %U %S %M" -o "$R/time" "${BIN:-$C360}" build --quiet --data "$from" --out "$out" "$@" 2>"$R/stages"
	cat "$R/time" >>"$R/$key"
	render_part "$key"
	inodes "$out" >"$R/ino.after"
	kept=$(comm -12 "$R/ino.before" "$R/ino.after" | wc -l)
	echo "$(($(wc -l <"$R/ino.after") - kept)) $kept" >>"$R/$key.files"
	cp "$R/stages" "$R/$key.stages"
}

# rebuild KEY OUT DATA: a timed rebuild into OUT, then (with BENCH_BASE) the older binary's
# rebuild of its own site from the same data, right after it: base-KEY.
rebuild() {
	build "$@"
	[ -z "$BASE" ] || BIN=$BASE build "base-$1" "$base" "$3"
}

# render_part KEY: the last run's wall time less its data stage (reading, cleaning, the KPIs).
render_part() {
	awk -v wall="$(col 1 <"$R/time")" '/reading and cleaning|computing KPIs/ { data += $(NF - 1) }
		END { printf "%.3f\n", wall - data }' "$R/stages" >>"$R/$1.render"
}

# render KEY GOLD OUT: one timed c360 render --gold into a new folder.
render() {
	rm -rf "$3"
	$TIME -f "%e %U %S %M" -o "$R/time" "$C360" render --quiet --gold "$2" --out "$3" 2>"$R/$1.stages"
	cat "$R/time" >>"$R/$1"
	rm -rf "$3"
}

# stat_floor KEY SITE: find's size and time of every file of the site (not its spare), timed.
stat_floor() {
	s=$(now)
	find "$2" -path "$2/.c360-prev" -prune -o -type f -printf '%s %T@\n' >/dev/null
	since "$s" >>"$R/$1"
}

# floor KEY DATA SITE COPY: cat of the inputs and cp -r of the site, timed together.
floor() {
	[ ! -e "$3/.c360-prev" ] || { echo "bench: the floor would copy the spare (.c360-prev) too" >&2; exit 1; }
	rm -rf "$4"
	s=$(now)
	cat "$2"/*.csv >/dev/null
	cp -r "$3" "$4"
	since "$s" >>"$R/$1"
	rm -rf "$4"
}

# one_percent DATA AT: 1 % of the customers (every 100th, from the AT-th) get an order, dated a
# month before the as-of date so that it stays where it is.
one_percent() {
	day=$(awk -F, '$1 == "as_of" { print $2 }' "$R/site-gold/kpi_summary.csv")
	day=$(date -u -d "$day - 30 days" +%Y-%m-%d)
	awk -F, -v day="$day" -v at="$2" 'NR > 1 && NR % 100 == at { printf "B%d,%s,%s,100.00,completed\n", NR, $1, day }' \
		"$1/customers.csv" >>"$1/orders.csv"
}

col() { awk -v c="$1" '{ print $c }'; }

# report N ROWS PAGES FS: the medians of one file system's measurements.
report() {
	fs=$4
	[ -s "$R/full-$fs" ] || return 0
	wall=$(col 1 <"$R/full-$fs" | median) user=$(col 2 <"$R/full-$fs" | median) sys=$(col 3 <"$R/full-$fs" | median)
	rss=$(col 4 <"$R/full-$fs" | sort -n | tail -1)
	fl=$(median <"$R/floor-$fs")
	echo "$1 $fs $wall $user $sys $rss $fl $2 $3 $BYTES $UNIT" | awk '{
		printf "%-8s %-5s full %7.2f s  (user %6.2f, sys %6.2f)  peak %6.0f MB = %4.2fx input  floor %7.2f s -> %5.2fx floor  %9.0f rows/s  %8.0f %s/s\n",
			$1, $2, $3, $4, $5, $6 / 1024, $6 * 1024 / $10, $7, $3 / $7, $8 / $3, $9 / $3, ($11 == "pages" ? "pages" : "customers (packed)") }'
	if [ -s "$R/none-$fs" ]; then
		echo "$user $(col 2 <"$R/none-$fs" | median) $3 $UNIT" | awk '{
			printf "                user CPU a customer %s: %.1f us (full build %.2f s less --customer-pages none %.2f s, over %d)\n",
				($4 == "pages" ? "page" : "in a pack"), ($1 - $2) * 1e6 / $3, $1, $2, $3 }'
	fi
	echo "$fs $wall $(median <"$R/full-$fs.render")" | awk '{
		printf "                build %7.2f s, its render part %7.2f s\n", $2, $3 }'
	if [ -s "$R/render-$fs" ]; then
		echo "$(col 1 <"$R/render-$fs" | median) $(median <"$R/full-$fs.render") $(col 4 <"$R/render-$fs" | sort -n | tail -1)" | awk '{
			printf "                render --gold %7.2f s = %5.2fx the build'"'"'s render part; peak %6.0f MB\n", $1, $1 / $2, $3 / 1024 }'
	fi
	if [ -s "$R/base-$fs" ]; then
		b=$(col 1 <"$R/base-$fs" | median)
		echo "$wall $b $(median <"$R/base-$fs.render") $(col 4 <"$R/base-$fs" | sort -n | tail -1)" | awk '{
			printf "                BENCH_BASE build %7.2f s (render part %7.2f s, peak %6.0f MB): this build = %5.2fx it\n", $2, $3, $4 / 1024, $1 / $2 }'
	fi
	for kind in same first changed; do
		[ -s "$R/$kind-$fs" ] || continue
		w=$(col 1 <"$R/$kind-$fs" | median)
		written=$(col 1 <"$R/$kind-$fs.files" | median) kept=$(col 2 <"$R/$kind-$fs.files" | median)
		case $kind in
		same) what="nothing changed:" ;;
		first) what="1 % changed, no spare yet:" ;;
		*) what="1 % changed, with the spare:" ;;
		esac
		echo "$w $wall $written $kept" | awk -v what="$what" '{
			printf "                rebuild, %-28s %7.2f s = %5.2fx the full build; files written %d, kept %d\n",
				what, $1, $1 / $2, $3, $4 }'
		[ $kind != changed ] || [ ! -s "$R/stat-$fs" ] || echo "$w $(median <"$R/stat-$fs")" | awk '{
			printf "                  the stat floor (find: size and time of every file) %7.2f s; this rebuild = %5.2fx it\n", $2, $1 / $2 }'
		[ -s "$R/base-$kind-$fs" ] || continue
		echo "$(col 1 <"$R/base-$kind-$fs" | median) $(col 1 <"$R/base-$fs" | median) $w" | awk '{
			printf "                  BENCH_BASE: %7.2f s = %5.2fx its full build; this rebuild = %5.2fx it\n", $1, $1 / $2, $3 / $1 }'
	done
}

printf 'c360 bench: %s; %s runs each; load average %s\n' "$(uname -n)" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
	R=$DISK/results-$n
	rm -rf "$R"
	mkdir -p "$R"
	data=$DISK/data-$n
	if [ ! -f "$data/.complete" ]; then
		rm -rf "$data"
		"$C360" generate --customers "$n" --seed 1 --out "$data"
		touch "$data/.complete"
	fi
	BYTES=$(cat "$data"/*.csv | wc -c)
	ROWS=$(cat "$data"/*.csv | wc -l)
	places=$DISK
	[ "$n" -le "$TMPFS_MAX" ] && places="$TMPFS $DISK"
	case " ${BENCH_FS:-tmpfs disk} " in *" tmpfs "*) ;; *) places=$DISK ;; esac
	case " ${BENCH_FS:-tmpfs disk} " in *" disk "*) ;; *) places=${places% "$DISK"} ;; esac
	for r in $(seq "$RUNS"); do
		for place in $places; do
			fs=disk
			[ "$place" = "$TMPFS" ] && fs=tmpfs
			site=$place/site-$n
			rm -rf "$site" "$place/changed-$n"
			[ $fs = tmpfs ] || settle
			build full-$fs "$site" "$data"
			[ -d "$R/site-gold" ] || cp -r "$site/gold" "$R/site-gold"
			PAGES=$(find "$site/customers" -path '*/customers/??/*.html' | wc -l)
			UNIT=pages
			[ "$PAGES" -gt 0 ] || { PAGES=$n UNIT=packed; }	# packed: every customer in a pack
			[ $fs = tmpfs ] || settle
			floor floor-$fs "$data" "$site" "$place/copy-$n"
			[ $fs = tmpfs ] || settle
			render render-$fs "$site/gold" "$place/render-$n"
			rm -rf "$place/none-$n"
			build none-$fs "$place/none-$n" "$data" --customer-pages none
			rm -rf "$place/none-$n"
			base=$place/base-$n
			rm -rf "$base"
			if [ -n "$BASE" ]; then
				[ $fs = tmpfs ] || settle
				BIN=$BASE build base-$fs "$base" "$data"
			fi
			if [ "$REBUILDS" = 0 ]; then
				rm -rf "$site" "$base"
				continue
			fi
			rebuild same-$fs "$site" "$data"
			cp -rL "$data" "$place/changed-$n"	# -L: a data folder given as a link is copied, never written into
			rm -f "$place/changed-$n/.complete"
			one_percent "$place/changed-$n" 0
			rebuild first-$fs "$site" "$place/changed-$n"	# the previous site becomes the spare
			one_percent "$place/changed-$n" 50
			rebuild changed-$fs "$site" "$place/changed-$n"
			stat_floor stat-$fs "$site"
			rm -rf "$site" "$base" "$place/changed-$n"
		done
	done
	echo "$PAGES $UNIT" >"$R/pages"
	report "$n" "$ROWS" "$PAGES" tmpfs
	report "$n" "$ROWS" "$PAGES" disk
	[ "$REBUILDS" != 0 ] || continue
	# Two editions a week apart, committed: what the second commit changes.
	asof=$(awk -F, '$1 == "as_of" { print $2 }' "$R/site-gold/kpi_summary.csv")
	next=$(date -u -d "$asof + 7 days" +%Y-%m-%d)
	repo=$DISK/editions-$n
	rm -rf "$repo"
	export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-c360 bench}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-bench@localhost}"
	export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-c360 bench}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-bench@localhost}"
	"$C360" publish --git "$repo" --quiet --data "$data" --as-of "$asof" --message "as of $asof" >/dev/null 2>&1 ||
		echo "bench: publish failed" >&2
	"$C360" publish --git "$repo" --quiet --data "$data" --as-of "$next" --message "as of $next" >/dev/null 2>&1 ||
		echo "bench: publish failed" >&2
	git -C "$repo" diff --name-only HEAD~1 HEAD >"$R/edition" 2>/dev/null || :
	echo "$n $(wc -l <"$R/edition") $(grep -c '^customers/[0-9a-f][0-9a-f]/' "$R/edition" || :) $(git -C "$repo" rev-list --count HEAD 2>/dev/null || echo 0)" |
		awk '{ printf "%-8s editions a week apart: %d files changed, %d of them customer pages (%d commits)\n", $1, $2, $3, $4 }'
	rm -rf "$repo"
done
echo "(medians; peak RSS is the largest seen; the last run's stages: $DISK/results-SIZE/*.stages)"
