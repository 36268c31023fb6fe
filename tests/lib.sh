# lib.sh — what the shell test scripts share: the binary, the data, a scratch folder removed
# on exit, counting checks, and skipping the tutorial part. Sourced, not run.
C360=${C360:-$PWD/c360}
FIXTURE=tests/golden/fixture/in	# the hand-written data in the repository (tests/golden/README.md)
TUTORIAL=${C360_TUTORIAL:-../shared/data/tutorial}	# the tutorial data, where it sits beside the clone
export TZ=UTC
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
# browser_ready: true once the packages of tests/browser (playwright-core, axe-core) are there.
browser_ready() {
	[ -d tests/browser/node_modules ] || (cd tests/browser && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
		{ fail "npm ci in tests/browser (playwright-core, axe-core)"; return 1; }
}
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
err_has() { if grep -q -- "$1" "$T/err"; then pass; else fail "stderr lacks \"$1\": $(head -3 "$T/err")"; fi; }
file_has() { if grep -q -- "$2" "$1"; then pass; else fail "$1 lacks \"$2\""; fi; }
# finish NAME: the summary line, and the exit status.
finish() {
	echo "$1: $n checks, $failed failed$([ "$skipped" = 0 ] || echo ", $skipped parts skipped")"
	[ "$failed" = 0 ]
}
