#!/bin/sh
# pages.sh — compiled pages are cmark's pages: every file of a build with compiled pages (the
# default) is byte for byte the file of the same build with every page through cmark
# (C360_RENDERER=cmark, the renderer as it was), on the fixture, the tutorial, hostile data
# and a generated set (but .c360-inputs, whose page hashes name the renderer).
# Usage: tests/pages.sh   (C360 names the binary; BIG=0 skips the 10,000-customer case)
set -u
BIG=${BIG:-1}
. tests/lib.sh

# both_ways NAME ARGS...: builds ARGS twice, compiled and through cmark, and compares; the
# compiled build must have filled pages from shapes.
both_ways() {
	name=$1
	shift
	C360_TIMINGS=1 $C360 build "$@" --out "$T/$name-compiled" 2>"$T/err" && pass || fail "$name: build: $(tail -3 "$T/err")"
	C360_RENDERER=cmark $C360 build "$@" --out "$T/$name-cmark" 2>/dev/null && pass || fail "$name: build through cmark"
	if diff -r -x .c360-inputs "$T/$name-compiled" "$T/$name-cmark" >"$T/diff"; then pass; else
		fail "$name: compiled pages differ from cmark's:"
		head -20 "$T/diff"
	fi
	compiled=$(sed -n 's/^c360: customer pages: \([0-9]*\) compiled.*/\1/p' "$T/err")
	[ "${compiled:-0}" -gt 0 ] && pass || fail "$name: no part of a customer page was compiled"
	rm -rf "$T/$name-compiled" "$T/$name-cmark"
}

both_ways fixture --data "$FIXTURE"
if have_tutorial "the tutorial's pages compiled"; then
	both_ways tutorial --data "$TUTORIAL"
fi
hostile_data "$T/hostile"
{	# values where Markdown is touchy: a list's number, emphasis, code, a reference, a blank
	echo '12. x,"1) Item",a@b.co,f,1990-01-01,"**Deep** & <Co>"'
	echo '*7*,"[foo]: /x","_@b.co",m,1990-01-01,"`tick` \\"'
	echo '"1.",Ann,c@d.ee,f,1990-01-01," -  "'
	# C1 controls (as spaces, as cmark has them from esc_markdown) first, between and last
	printf 'c1,Csi\302\233 Mid\302\200dle,c1@b.co,f,1990-01-01,\302\237Head\n'
	printf 'c2,Nel\302\205 Y,c2@b.co,f,1990-01-01,Tail\302\237\n'
} >>"$T/hostile/customers.csv"
echo 'o9,12. x,2022-07-09,1,"_wild_ *cat*"' >>"$T/hostile/orders.csv"
both_ways hostile --data "$T/hostile"
# A theme whose body follows " align=\"" (as text: HTML goes nowhere else) and a page that starts
# with a fragment starting with a quote: the layout made once per thread must leave it as the
# whole layout rendered does.
run 0 init "$T/proj"
{ printf '{{{strip}}}\n'; cat "$T/proj/templates/customer.md"; } >"$T/md" && mv "$T/md" "$T/proj/templates/customer.md"
{ printf '"x" '; cat "$T/proj/templates/customer_strip.html"; } >"$T/html" &&
	mv "$T/html" "$T/proj/templates/customer_strip.html"
awk '/^<main id="main">$/ { printf "<main id=\"main\"> align=\""; next } 1' "$T/proj/themes/default/layout.html" >"$T/html" &&
	mv "$T/html" "$T/proj/themes/default/layout.html"
grep -q '> align="{{{body}}}' "$T/proj/themes/default/layout.html" && pass || fail "the layout with align= before the body"
both_ways align --config "$T/proj/c360.conf" --data "$FIXTURE"
# A site's own fragments and customer.md are rendered by the engine, not written as c360's are
# (activity_html, lifecycle_html, strip_html, customer_md_slots: only for the templates c360
# ships, byte for byte).
sed -i 's/class="kind"/class="kind mine"/' "$T/proj/templates/activity.html"
sed -i 's/class="timeline"/class="timeline mine"/' "$T/proj/templates/lifecycle.html"
sed -i 's/^## Orders$/## Orders of mine/' "$T/proj/templates/customer.md"
run 0 build --config "$T/proj/c360.conf" --data "$FIXTURE" --out "$T/own"
for mark in 'class="kind mine"' 'class="timeline mine"' '"x" <ul class="strip">' 'Orders of mine</h2>'; do
	grep -rqF "$mark" "$T/own/customers" && pass || fail "a site's own fragment is not used: $mark"
done
rm -rf "$T/own"
if [ "$BIG" = 1 ]; then
	run 0 generate --customers 10000 --seed 3 --out "$T/g10k"
	both_ways g10k --data "$T/g10k"
fi

finish pages
