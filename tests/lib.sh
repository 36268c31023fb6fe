# lib.sh — what the shell test scripts share: the binary, the tutorial data, a scratch
# folder removed on exit, and counting checks. Sourced, not run.
C360=${C360:-$PWD/c360}
TUTORIAL=../shared/data/tutorial
export TZ=UTC
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

pass() { n=$((n + 1)); }
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "FAIL: $*"
}
# finish NAME: the summary line, and the exit status.
finish() {
	echo "$1: $n checks, $failed failed"
	[ "$failed" = 0 ]
}
