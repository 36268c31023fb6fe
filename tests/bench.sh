#!/bin/sh
# bench.sh — c360 build at 10k / 100k / 1M customers against a floor measured in the same run.
# Usage: tests/bench.sh [./c360]   BENCH_SIZES="10000 100000 1000000"  BENCH_RUNS=3
# The floor is what any tool must do: read the inputs once (cat) and copy the produced site
# once (cp -r). Times are medians of BENCH_RUNS runs; peak RSS is the largest seen.
# Every run builds into a fresh --out and copies into a fresh folder; what a run wrote is
# removed before a settle pause (BENCH_SETTLE seconds, 45 by default), because ext4 is slow to
# create files for a while after many were deleted, which would burden the next run.
set -eu
C360=${1:-./c360}
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
RUNS=${BENCH_RUNS:-3}
SETTLE=${BENCH_SETTLE:-45}
DIR=${BENCH_DIR:-build/bench}
mkdir -p "$DIR"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: needs GNU time (Debian package \"time\")" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
seconds() { # seconds COMMAND...: wall time of one run
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }'
}

printf '%-9s %8s %9s %9s %9s %8s %10s %8s %9s %9s %s\n' customers input rows build "peak RSS" RSS/in \
	rows/s files/s "floor" build/flr stages
for n in $SIZES; do
	data="$DIR/data-$n"
	if [ ! -f "$data/.complete" ]; then
		rm -rf "$data"
		$C360 generate --customers "$n" --seed 1 --out "$data"
		touch "$data/.complete"
	fi
	bytes=$(cat "$data"/*.csv | wc -c)
	rows=$(cat "$data"/*.csv | wc -l)
	: >"$DIR/build.times"
	: >"$DIR/floor.times"
	peak=0
	for r in $(seq "$RUNS"); do
		rm -rf "$DIR/site-$n" "$DIR/site-copy"
		[ "$r" = 1 ] || { sync; sleep "$SETTLE"; }
		$TIME -f "%e %M" -o "$DIR/time.out" env C360_TIMINGS=1 $C360 build --quiet --data "$data" \
			--out "$DIR/site-$n" 2>"$DIR/stages.out"
		awk '{ print $1 }' "$DIR/time.out" >>"$DIR/build.times"
		kb=$(awk '{ print $2 }' "$DIR/time.out")
		[ "$kb" -gt "$peak" ] && peak=$kb
		sync	# the build's writes reach the disk first, so the copy does not queue behind them
		read_s=$(seconds sh -c "cat '$data'/*.csv >/dev/null")
		copy_s=$(seconds cp -r "$DIR/site-$n" "$DIR/site-copy")
		echo "$read_s $copy_s" | awk '{ print $1 + $2 }' >>"$DIR/floor.times"
	done
	build=$(median <"$DIR/build.times")
	floor=$(median <"$DIR/floor.times")
	stages=$(awk '/^c360: / { printf "%s%s", sep, $(NF - 1); sep = "/" }' "$DIR/stages.out")
	files=$(find "$DIR/site-$n" -type f | wc -l)
	echo "$n $bytes $rows $build $peak $floor $stages $files" | awk '{
		printf "%-9s %5.0f MB %9d %7.2f s %6.0f MB %7.2fx %10.0f %8.0f %7.2f s %8.2fx %s\n",
			$1, $2 / 1e6, $3, $4, $5 / 1024, $5 * 1024 / $2, $3 / $4, $8 / $4, $6, $4 / $6, $7 }'
	rm -rf "$DIR/site-copy" "$DIR/site-$n"
	sync
	sleep "$SETTLE"
done
echo "(build: median wall time; stages: read+clean / KPIs / gold / site / swap, seconds of the last run;"
echo " rows/s counts input lines; files/s counts files written under --out)"
