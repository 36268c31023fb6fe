#!/bin/sh
# ux.sh — c360 as a new user meets it: help for every command, quiet output that adds up,
# folders it did not make left alone, clear errors for bad input, configuration and templates.
# Uses only what is in the repository (data/sample, templates/); C360 names the binary.
set -u
. tests/lib.sh
SAMPLE=data/sample

has() { if grep -q -- "$2" "$1"; then pass; else fail "$1 lacks \"$2\": $(head -3 "$1")"; fi; }
hasnt() { if grep -q -- "$2" "$1"; then fail "$1 has \"$2\": $(grep -m1 -- "$2" "$1")"; else pass; fi; }
empty() { if [ -s "$1" ]; then fail "$1 is not empty: $(head -3 "$1")"; else pass; fi; }
lines_at_most() { if [ "$(wc -l <"$1")" -le "$2" ]; then pass; else fail "$1: $(wc -l <"$1") lines, want $2 at most"; fi; }
dq() { grep "^$2,$3,$4," "$1/gold/data_quality.csv" | cut -d, -f4; }	# dq SITE SOURCE MEASURE ITEM
same() { if [ "$1" = "$2" ]; then pass; else fail "$3: \"$1\" differs from \"$2\""; fi; }

# ---- help where users look for it: every command of the table, three ways, on stdout
run 0 help
cp "$T/out" "$T/help"
empty "$T/err"
has "$T/help" "^usage: c360 build"
run 0 --help
cmp -s "$T/out" "$T/help" && pass || fail "--help differs from help"
commands=$(sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' "$T/help" | grep -v '^help$')
[ "$(echo $commands)" = "build render check serve publish generate init" ] && pass || fail "the commands listed: $commands"
for cmd in $commands; do
	run 0 help "$cmd"
	cp "$T/out" "$T/help-$cmd"
	empty "$T/err"
	has "$T/help-$cmd" "^usage: c360 $cmd "
	has "$T/help-$cmd" "^options:"
	for o in $(grep -o -- '--[a-z-]*' "$T/help-$cmd" | sort -u); do	# every option shown is described
		has "$T/help-$cmd" "^  $o"
	done
	run 0 "$cmd" --help
	cmp -s "$T/out" "$T/help-$cmd" && pass || fail "c360 $cmd --help differs from c360 help $cmd"
	run 0 "$cmd" -h
	cmp -s "$T/out" "$T/help-$cmd" && pass || fail "c360 $cmd -h differs from c360 help $cmd"
done
has "$T/help-generate" "^  --force "
hasnt "$T/help-build" "--force"
has "$T/help-check" "^  --verbose .*settings in force"
run 0 help config
for key in title templates themes theme email_from email_to date_order churn_window_days thousands_separator currency; do
	has "$T/out" "^  $key "
done
has "$T/out" "^  \[FILE.\]encoding  *utf-8 (the default),"	# a setting not found in the file says its default
run 0 help help	# the overview: it says what help takes
has "$T/out" "help"
run 2 help nosuch
has "$T/err" '^c360: no help on "nosuch"$'
run 2 help biuld
has "$T/err" 'no help on "biuld" (did you mean "build"?)'
run 2 biuld
has "$T/err" '^c360: unknown command "biuld" (did you mean "build"?)'
empty "$T/out"
run 2 build --ouput "$T/x"	# a mistyped option: the one meant is named
has "$T/err" '^c360: unknown option: --ouput (did you mean --out?)$'
run 2 build -q	# no short options: the long one of that letter
has "$T/err" '^c360: unknown option: -q (did you mean --quiet?)$'
run 2 build -é --data "$T/x"	# a letter not ASCII: the word (getopt had not left it: "unknown option: build")
has "$T/err" '^c360: unknown option: -é$'
run 2 build --bogus
has "$T/err" '^c360: unknown option: --bogus$'
run 2 build --data	# an option's value forgotten: what it wants
has "$T/err" '^c360: --data wants DIR after it$'
run 2 check --out "$T/x"
has "$T/err" "^c360: --out is not an option of check$"
has "$T/err" "^usage: c360 check "
run 2 build --quiet --verbose
has "$T/err" "^c360: --verbose wants to be given without --quiet"
run 2 build --jobs 0
has "$T/err" "^c360: --jobs wants a number from 1 to 64, not: 0"
run 2 generate --out "$T/g"
has "$T/err" "^c360: generate needs --customers"
# a day that is not in the calendar is said to be that, not a date out of the years
run 2 check --as-of 2024-02-30
has "$T/err" "^c360: --as-of wants a day that exists (2024-02 has 29 days, no day 30), not: 2024-02-30$"
run 2 check --as-of 2023-04-31
has "$T/err" "(2023-04 has 30 days, no day 31)"
run 2 check --as-of 2024-13-01
has "$T/err" "^c360: --as-of wants a month of 01 to 12 (not 13), not: 2024-13-01$"
run 2 check --as-of 1899-12-31
has "$T/err" "^c360: --as-of wants a date YYYY-MM-DD between 1900 and 2100, not: 1899-12-31$"
# an --as-of the churn window (90 days) or more after the data's latest event (the fixture's
# 2024-03-11, session S04): every customer churned, which build and check say, with the way out
gap='^c360: warning: --as-of 2026-01-01 is 661 days after the latest event in the data, 2024-03-11 (web_activities.csv line 5): with a churn window of 90 days (churn_window_days), no order is in the window, so no customer is active, .*; drop --as-of to report as of the latest event'
run 0 check --data "$FIXTURE" --as-of 2026-01-01
has "$T/err" "$gap"
run 0 build --data "$FIXTURE" --as-of 2026-01-01 --out "$T/gap-site"
has "$T/err" "$gap"
# ... and so does a rebuild whose sessions are not read again (silver_cache.c's lazy source),
# with the line a fresh build names: the first of the sessions at the latest moment (S19 to S21
# at S04's, on lines 20 to 22), kept as loading checked the cache file, then with the check kept
mkdir "$T/tie"
cp "$FIXTURE"/*.csv "$T/tie/"
printf 'S19,104,/home,2024-03-11 03:30,android\nS20,105,/home,2024-03-11T03:30Z,android\nS21,106,/home,2024-03-10 22:30 -05:00,android\n' \
	>>"$T/tie/web_activities.csv"
run 0 build --data "$T/tie" --as-of 2026-01-01 --out "$T/tie-site"
has "$T/err" "$gap"
grep 'warning: --as-of' "$T/err" >"$T/tie-fresh"
# tie_rebuild WHAT KEPT: a rebuild of tie-site names the line as the fresh build did; KEPT: 1 if
# the sessions' check is the previous build's
tie_rebuild() {
	run 0 build --verbose --data "$T/tie" --as-of 2026-01-01 --out "$T/tie-site"
	grep -q 'web_activities.csv: its cache as the previous build checked it' "$T/err" && kept=1 || kept=0
	[ "$kept" = "$2" ] && pass || fail "$1: the sessions' check kept: $kept, want $2"
	grep 'warning: --as-of' "$T/err" | cmp -s - "$T/tie-fresh" && pass ||
		fail "$1: the as-of warning differs from a fresh build's: $(grep 'warning: --as-of' "$T/err" | cut -c1-120)"
}
tie_rebuild "a rebuild, the sessions' cache checked whole" 0
touch -d '10 seconds ago' "$T/tie-site/.c360-cache/web_activities"	# checked whole: then its check is kept
tie_rebuild "a rebuild, the sessions' cache's mtime set back" 0
tie_rebuild "a rebuild, the sessions' check kept" 1
# ... and of the latest moment as the sessions' date order reads it (month-first: S22's Dec 3 on
# line 23; day-first would read S23's Nov 3, line 24), the sessions changed then not
printf 'S22,107,/home,12/03/2024 10:00,android\nS23,108,/home,03/11/2024 12:00,android\n' >>"$T/tie/web_activities.csv"
run 0 build --data "$T/tie" --as-of 2026-01-01 --out "$T/tie-fresh-site"
has "$T/err" '^c360: warning: --as-of 2026-01-01 is 394 days after the latest event in the data, 2024-12-03 (web_activities.csv line 23): '
grep 'warning: --as-of' "$T/err" >"$T/tie-fresh"
run 0 build --data "$T/tie" --as-of 2026-01-01 --out "$T/tie-site"
tie_rebuild "a rebuild, the sessions' dates ambiguous" 0
rm -rf "$T/tie" "$T/tie-site" "$T/tie-fresh-site" "$T/tie-fresh"
run 0 check --data "$FIXTURE" --as-of 2024-06-09	# 90 days: the window (Mar 11, Jun 9] holds no day of it
has "$T/err" "^c360: warning: --as-of 2024-06-09 is 90 days after"
run 0 check --data "$FIXTURE" --as-of 2024-06-08	# 89: its last day is in the window
hasnt "$T/err" "warning: --as-of"
run 0 check --data "$FIXTURE"	# the default: as of the latest event
hasnt "$T/err" "warning: --as-of"
# without --as-of, a latest event the churn window's days or more after every other: one year
# typed wrong (2042 for 2024) makes the report's day, which build and check say (Mar 11, 2024 to
# Mar 1, 2042: 18 years of 365 days, 4 leap days, less 10 days, 6,564)
mkdir "$T/typo"
cp "$FIXTURE"/*.csv "$T/typo/"
l=$(($(wc -l <"$T/typo/orders.csv") + 1))
printf '9001,101,2042-03-01,5.00,completed\n' >>"$T/typo/orders.csv"
lone="^c360: warning: the as-of date is the day of the latest event alone, 2042-03-01 (orders.csv line $l): every other event is 6564 days or more before it (the latest of them on 2024-03-11), so with a churn window of 90 days (churn_window_days) at most that event's customer is active; a date typed wrong? Correct it, or pass --as-of 2024-03-11\$"
run 0 check --data "$T/typo"
has "$T/err" "$lone"
run 0 build --data "$T/typo" --out "$T/typo-site"
has "$T/err" "$lone"
run 0 check --data "$T/typo" --as-of 2024-03-11	# the day given: no guess
hasnt "$T/err" "warning: the as-of date"
sed -i 's/2042-03-01/2024-06-09/' "$T/typo/orders.csv"	# 90 days after: the window (Mar 11, Jun 9] holds it alone
run 0 check --data "$T/typo"
has "$T/err" "^c360: warning: the as-of date is the day of the latest event alone, 2024-06-09 (orders.csv line $l): every other event is 90 days"
sed -i 's/2024-06-09/2024-06-08/' "$T/typo/orders.csv"	# 89: Mar 11 is in its window
run 0 check --data "$T/typo"
hasnt "$T/err" "warning: the as-of date"
printf 'churn_window_days = 30\n' >"$T/w30.conf"	# the window the configuration sets
run 0 check --config "$T/w30.conf" --data "$FIXTURE" --as-of 2024-04-10
has "$T/err" "^c360: warning: --as-of 2024-04-10 is 30 days after .* churn window of 30 days"
run 0 build --quiet --data "$FIXTURE" --as-of 2026-01-01 --out "$T/gap-site"	# --quiet: errors only
empty "$T/err"
# ... and one before every dated fact (the fixture's first, order 5010 of 2023-08-01): only the
# undated ones count
run 0 check --data "$FIXTURE" --as-of 2023-07-31
has "$T/err" '^c360: warning: --as-of 2023-07-31 is before every dated order, payment, ticket and session of the data (69), all left out of every figure: only undated ones count; the latest event is 2024-03-11 (web_activities.csv line 5): drop --as-of to report as of it$'
run 0 check --data "$FIXTURE" --as-of 2023-08-01
hasnt "$T/err" "warning: --as-of"
run 2 init
has "$T/err" "^c360: init wants a folder"

# ---- the README: one screen, the two commands first, ./c360, every option of every command,
# and a browser switch the suite honours
lines_at_most README.md 70
[ "$(grep -m2 '^    [^ ]' README.md | sed 's/ *#.*//; s/^ *//' | tr '\n' ,)" = "./setup,make check," ] &&
	pass || fail "README: the first commands are not ./setup and make check"
hasnt README.md '^    c360 '
for cmd in $commands; do
	for o in $(grep -o -- '--[a-z-]*' "$T/help-$cmd" | sort -u); do has README.md "$o"; done
done
switch=$(grep -o 'make check C360_[A-Z]*=0' README.md | sed 's/make check //; s/=0//')
[ -n "$switch" ] && [ "$(grep -l "\${$switch:-1}" tests/site.sh tests/serve.sh | wc -l)" = 2 ] &&
	pass || fail "README's browser switch: \"$switch\" is not what tests/site.sh and tests/serve.sh read"

# ---- templates: the reference is printed from the table the code checks pages with
run 0 help templates
if cmp -s "$T/out" docs/templates.md; then pass; else fail "docs/templates.md is stale: run make docs"; fi
has "$T/out" "^## customer — "
has "$T/out" '^| `orders\[\].amount` | money |'
mkdir -p "$T/tpl"
cp templates/*.md templates/*.html "$T/tpl/"
printf 'templates = %s/tpl\n' "$T" >"$T/tpl.conf"
sed -i 's/{{email}} |/{{emial}} |/' "$T/tpl/customer.md"
printf '\n{{#top}}{{{location}}}{{/top}}\n' >>"$T/tpl/customers.md"
sed -i 's/{{arrow}}/{{arow}}/' "$T/tpl/kpi_cards.html"	# the dashboard's fragment is checked as the page
run 1 build --config "$T/tpl.conf" --out "$T/tplsite"
line=$(grep -n '{{emial}}' "$T/tpl/customer.md" | cut -d: -f1)
col=$(grep '{{emial}}' "$T/tpl/customer.md" | awk '{ print index($0, "{{emial}}") }')
has "$T/err" "tpl/customer.md:$line:$col: error: {{emial}}: the customer page has no variable of that name (did you mean \"email\"?)"
has "$T/err" "tpl/customers.md:[0-9]*:9: error: {{{location}}} writes only HTML that c360 made"
has "$T/err" "tpl/kpi_cards.html:[0-9]*:[0-9]*: error: {{arow}}: the index page has no variable of that name (did you mean \"arrow\"?)"
[ ! -e "$T/tplsite" ] && pass || fail "a build with a template error wrote a site"
hasnt "$T/err" "rows read"	# the templates are checked before the data is read, not after a data stage
printf 'templates = %s/none\n' "$T" >"$T/none.conf"
run 1 build --config "$T/none.conf" --out "$T/nonesite"
has "$T/err" "none: error: cannot open: No such file or directory"
hasnt "$T/err" "rows read"
run 1 render --gold "$T/nogold" --config "$T/none.conf" --out "$T/nonesite"	# a render's too, before its gold
has "$T/err" "none: error: cannot open: No such file or directory"
hasnt "$T/err" "nogold"

# a template of the designer's own that no page uses (templates/vip.md, meant as a page) is a
# warning naming it, not a page never made without a word; once a page puts it in, none
cp templates/*.md templates/*.html "$T/tpl/"
printf '# VIP customers\n\n{{#top}}\n- {{name}}\n{{/top}}\n' >"$T/tpl/vip.md"
printf '<p>{{site_title}}</p>\n' >"$T/tpl/extra.html"
run 0 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite"
has "$T/err" "tpl/extra.html: warning: no page uses it: put it in one by {{>extra.html}}$"
rm "$T/tpl/extra.html"
has "$T/err" "tpl/vip.md: warning: no page uses it: a page of your own goes in templates/pages/ (pages/vip.md makes vip.html)"
hasnt "$T/err" "definitions.md: warning"	# index.md puts it in
printf '\n{{>vip}}\n' >>"$T/tpl/customers.md"
run 0 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite"
hasnt "$T/err" "no page uses it"
cp "$T/tplsite/index.html" "$T/index.before"
# a page of the project's own: templates/pages/NAME.md is NAME.html at the root, with the
# dashboard's variables and the most valuable customers, titled by its heading, escaped as any page
cp templates/customers.md "$T/tpl/customers.md"
mv "$T/tpl/vip.md" "$T/vip.md"
mkdir "$T/tpl/pages"
printf '# VIP customers ##\n\nRevenue {{total_revenue}} from {{top_count}}: {{#top}}[{{name}}]({{root}}{{url}}) {{/top}}\n\n{{{kpi_cards}}}\n' \
	>"$T/tpl/pages/vip.md"
printf 'A page without a heading.\n\nBacklog:{{#open_tickets_list}} [{{id}}]{{/open_tickets_list}}.\n\nSegments:{{#segments}} %s{{/segments}}\n' \
	'{{slug}}={{customers}}/{{shown}}{{#rows}} [{{id}}]{{/rows}};' >"$T/tpl/pages/plain_2.md"
printf '# **Top** <b>clients</b> &amp; `co`\n' >"$T/tpl/pages/top.md"	# titled as its <h1> reads, not its Markdown
echo "not a page" >"$T/tpl/pages/notes.txt"	# not read, as in templates/, and said
run 0 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite"
has "$T/err" "tpl/pages/notes.txt: warning: not a page: a page of your own is NAME.md"
hasnt "$T/err" "pages/vip\|pages/plain_2"
has "$T/tplsite/vip.html" "<title>VIP customers · "
has "$T/tplsite/plain_2.html" "<title>plain_2 · "
has "$T/tplsite/top.html" "<title>Top clients &amp; co · "
has "$T/tplsite/vip.html" "Revenue 6,472.59 from 20: "	# gold/kpi_summary.csv's total_revenue; its 20 customers
has "$T/tplsite/vip.html" ">O'Brien Sean</a>"	# the fixture's o'brien sean
has "$T/tplsite/vip.html" '<section class="kpi'
# ... and the customers of a list (open-tickets.csv's, in its order: the fixture's are fewer than 500)
want=$(awk -F, 'NR > 1 { printf " [%s]", $1 }' "$T/tplsite/open-tickets.csv" | tr -d '\357\273\277')
[ -n "$want" ] && grep -qF "Backlog:$want." "$T/tplsite/plain_2.html" && pass ||
	fail "plain_2.html's backlog: $(grep -o 'Backlog[^<]*' "$T/tplsite/plain_2.html"), want$want"
# ... and each segment's customers (segments/SLUG.csv's, in its order), the segments as their page lists them
want=$(for slug in $(grep -o 'href="[a-z-]*\.html"' "$T/tplsite/segments/index.html" | sed 's/^href="//; s/\.html"$//'); do
	awk -F, -v slug="$slug" 'NR > 1 { ids = ids " [" $1 "]"; n++ } END { printf " %s=%d/%d%s;", slug, n, n, ids }' \
		"$T/tplsite/segments/$slug.csv"
done)
case "$want" in *'] ['*'lost='*) grep -qF "Segments:$want" "$T/tplsite/plain_2.html" && pass ||
	fail "plain_2.html's segments: $(grep -o 'Segments:[^<]*' "$T/tplsite/plain_2.html"), want$want" ;;
*) fail "no segment of the fixture with two customers, or no lost: $want" ;;
esac
[ ! -e "$T/tplsite/notes.html" ] && [ ! -e "$T/tplsite/pages" ] && pass || fail "more than the pages of templates/pages/*.md"
link=$(grep -o 'href="customers/[^"]*"' "$T/tplsite/vip.html" | head -1 | sed 's/^href="//; s/"$//')
[ -n "$link" ] && [ -f "$T/tplsite/$link" ] && pass || fail "vip.html's first customer link \"$link\" is no page"
cmp -s "$T/tplsite/index.html" "$T/index.before" && pass || fail "a page of the project's own changed index.html"
# edited, it is rebuilt; removed, its page goes
printf '# VIP customers\n\nEdited.\n' >"$T/tpl/pages/vip.md"
run 0 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite"
has "$T/tplsite/vip.html" "Edited."
rm "$T/tpl/pages/vip.md"
run 0 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite"
[ ! -e "$T/tplsite/vip.html" ] && [ -e "$T/tplsite/plain_2.html" ] && pass || fail "a page removed from templates/pages/ stayed"
# a name that is not one, c360's own, a tag its page lacks: errors naming the file, no site written
touch "$T/tpl/pages/VIP List.md" "$T/tpl/pages/churn-risk.md"
printf '# Backlog\n\n{{open_tickets}} {{#top}}{{open_tiekts}}{{/top}}\n' >"$T/tpl/pages/backlog.md"
run 1 build --config "$T/tpl.conf" --data "$FIXTURE" --out "$T/tplsite2"
has "$T/err" "tpl/pages/VIP List.md: error: a page of the project's own is NAME.md, NAME made of a-z, 0-9, - and _"
has "$T/err" "tpl/pages/churn-risk.md: error: a page of the project's own is NAME.md"
has "$T/err" "tpl/pages/backlog.md:3:26: error: {{open_tiekts}}: the pages/NAME page has no variable of that name (did you mean \"open_tickets\"?)"
[ ! -e "$T/tplsite2" ] && pass || fail "a build with a bad page of its own wrote a site"
rm -rf "$T/tplsite" "$T/tplsite2" "$T/tpl/pages"

# c360(1)'s TEMPLATES names the list kpi_cards.html draws the cards from, and fields the
# reference has (it said kpis and a field good, where the template has cards and tone)
sed -n '/^\.B kpi_cards\.html$/,/restyles them there/p' c360.1 >"$T/man-cards"
grep -A1 '^draws the dashboard' "$T/man-cards" | grep -qx '\.B cards' && grep -q '{{#cards}}' templates/kpi_cards.html &&
	pass || fail "c360(1) and templates/kpi_cards.html name different lists: $(grep -A1 '^draws' "$T/man-cards")"
for f in $(grep '^\.BR\? ' "$T/man-cards" | grep -v c360 | sed 's/^\.BR\? //; s/[",;:()]/ /g' | tr ' ' '\n' | grep -x '[a-z_]*' |
	grep -vx 'kpi_cards\|c360\|good\|bad\|neutral\|cards\|kpis'); do
	has docs/templates.md "^| \`cards\[\]\.$f\` |"
done
has "$T/man-cards" '^\.B tone$'

# ---- quiet when fine: a line per file and one for the result; details with --verbose
run 0 build --out "$T/site"
empty "$T/out"
lines_at_most "$T/err" 10
[ "$(grep -c '^c360: [a-z_]*\.csv: [0-9]* rows read: [0-9]* in silver ([0-9]* flagged), [0-9]* quarantined$' "$T/err")" = 5 ] &&
	pass || fail "a line per file: $(cat "$T/err")"
tail -1 "$T/err" | grep -q "^c360: wrote $T/site: index.html, 329 customer pages (29 for customers not in the CRM, named by their facts), gold/ and weekly/ (as of 2024-06-30)$" &&
	pass || fail "the last line says what was written where: $(tail -1 "$T/err")"
hasnt "$T/err" "warning:"
cp "$T/err" "$T/normal"
run 0 build --quiet --out "$T/site"
empty "$T/err"
empty "$T/out"
run 0 render --gold "$T/site/gold" --out "$T/rendered"	# a render says what it wrote: the customer pages' mode, the rest
empty "$T/out"
[ "$(cat "$T/err")" = "$(tail -2 "$T/normal" | sed "s|$T/site|$T/rendered|")" ] && pass || fail "render: $(cat "$T/err")"
tail -2 "$T/normal" | head -1 | grep -q "^c360: customer pages: files (329 customers <= 200,000; set customer_pages to change)$" &&
	pass || fail "the line before says which customer pages and why: $(tail -2 "$T/normal" | head -1)"
mkdir -p "$T/one" && printf 'customer_id,name\n1,Ann\n' >"$T/one/customers.csv"	# one customer: said so
printf 'order_id,customer_id,order_date,amount,status\no1,1,2024-01-02,5,complete\n' >"$T/one/orders.csv"
run 0 build --data "$T/one" --out "$T/one-site"
has "$T/err" "^c360: customer pages: files (1 customer <= 200,000; set"
has "$T/err" "^c360: wrote $T/one-site: index.html, 1 customer page, gold/"
printf 'ticket_id,customer_id,issue_type,ticket_date,resolution_status\nt1,1,Refund,2024-06-01,Open\n' \
	>"$T/one/support_tickets.csv"	# ... on both lists: "1 customer", on the cards and the lists' pages
run 0 build --data "$T/one" --out "$T/one-site"
has "$T/one-site/index.html" '>1 customer with open tickets</a>'
has "$T/one-site/index.html" '>1 customer at churn risk</a>'
has "$T/one-site/open-tickets.html" '1 customer with open tickets: '
has "$T/one-site/churn-risk.html" '1 customer at churn risk: '
run 0 render --quiet --gold "$T/site/gold" --out "$T/rendered"
empty "$T/err"
run 0 build --verbose --out "$T/site"
cp "$T/err" "$T/verbose"
has "$T/verbose" "orders.csv:[0-9]*:[0-9]*: warning: "
has "$T/verbose" "web_activities.csv: warning: [0-9]* more duplicate_key ([0-9]* rows in all)$"

# A file two sources read is named with each one's name on its line
printf '[files]\npayments = orders.csv\n[columns]\npayments.payment_id = order_id\npayments.payment_date = order_date\npayments.payment_status = status\n' >"$T/twice.conf"
run 0 build --config "$T/twice.conf" --out "$T/twice"
has "$T/err" "^c360: orders.csv (orders): [0-9]* rows read"
has "$T/err" "^c360: orders.csv (payments): [0-9]* rows read"
has "$T/err" "^c360: customers.csv: [0-9]* rows read"

# The counts of each file agree: the build's line, c360 check, gold/data_quality.csv, and the
# totals of --verbose; all count rows.
$C360 check >"$T/check" 2>/dev/null && pass || fail "check of the sample"
for src in customers orders payments support_tickets web_activities; do
	line=$(grep "^c360: $src\.csv: " "$T/normal" | sed "s/^c360: [a-z_]*\.csv: //; s/[^0-9]\{1,\}/ /g")
	set -- $line
	same "$1 $2 $3 $4" "$(dq "$T/site" $src rows_read '') $(dq "$T/site" $src silver_rows '') \
$(dq "$T/site" $src flagged_rows '') $(dq "$T/site" $src quarantined_rows '')" "$src: build vs data_quality.csv"
	set -- $(grep "^$src " "$T/check")
	same "$1 $3 $5 $7 $6" "$src $(dq "$T/site" $src rows_read '') $(dq "$T/site" $src silver_rows '') \
$(dq "$T/site" $src flagged_rows '') $(dq "$T/site" $src quarantined_rows '')" "$src: check vs data_quality.csv"
	grep "/$src\.csv: [a-z]*: [0-9]* more [a-z_]* ([0-9]* rows in all)$" "$T/verbose" |
		sed 's/.* more \([a-z_]*\) (\([0-9]*\) rows.*/\1 \2/' | while read -r kind count; do
		want=$(dq "$T/site" $src flagged_rows "$kind")$(dq "$T/site" $src quarantined_rows "$kind")
		[ "$count" = "$want" ] || echo "$src $kind: --verbose says $count rows, data_quality.csv $want"
	done >"$T/disagree"
	empty "$T/disagree"
done
has "$T/check" "^rows per source  *status  *read  *blank lines  *silver  *quarantined  *flagged  *after as-of$"
has "$T/check" "^  flagged rows: "

# On a terminal: the progress line is erased before anything else is written, and --quiet is quiet.
if command -v script >/dev/null 2>&1; then
	script -qec "$C360 build --out '$T/site.tty'" /dev/null >"$T/tty" 2>&1 && pass || fail "build on a terminal"
	cr=$(printf '\r')
	esc=$(printf '\033')
	sed "s/$cr\$//" "$T/tty" >"$T/tty.lines"
	if grep -q "$cr\([^$esc]\|\$\)" "$T/tty.lines"; then fail "a carriage return that does not erase"; else pass; fi
	sed "s/.*$cr$esc\[K//" "$T/tty.lines" >"$T/screen"	# what stays on the screen
	lines_at_most "$T/screen" 10
	hasnt "$T/tty" "c360: c360:"
	if grep -v '^c360: [a-z_.]*\(csv\|examples\|wrote\|customer pages\)' "$T/screen" | grep -q .; then
		fail "stray text on the terminal: $(cat "$T/screen")"
	else pass; fi
	sed "s|$T/site.tty|$T/site|" "$T/screen" >"$T/screen.site"	# a new site: an up-to-date one says only that
	diff "$T/screen.site" "$T/normal" >/dev/null && pass || fail "the terminal shows what a pipe gets: $(cat "$T/screen")"
	script -qec "$C360 build --quiet --out '$T/site'" /dev/null >"$T/tty" 2>&1 && pass || fail "quiet build on a terminal"
	empty "$T/tty"
else
	echo "ux: no script(1): the terminal checks skipped"
fi

# ---- never touch what c360 did not make
mkdir -p "$T/mine" && echo precious >"$T/mine/notes.txt"
run 1 generate --customers 5 --out "$T/mine"
has "$T/err" "^c360: error: $T/mine holds files c360 did not write (notes.txt); not writing into it (--force writes anyway, beside them)$"
[ "$(ls "$T/mine")" = notes.txt ] && pass || fail "generate wrote into a foreign folder: $(ls "$T/mine")"
run 0 generate --customers 5 --out "$T/mine" --force
[ "$(cat "$T/mine/notes.txt")" = precious ] && [ -s "$T/mine/orders.csv" ] && pass || fail "--force writes beside"
mkdir -p "$T/exports" && echo "customer_id,name" >"$T/exports/customers.csv"
run 1 generate --customers 5 --out "$T/exports"	# a real export, with the names generate uses
has "$T/err" "holds files c360 did not write (customers.csv); not writing into it (--force writes anyway, replacing customers.csv)$"
[ "$(cat "$T/exports/customers.csv")" = "customer_id,name" ] && pass || fail "an export was overwritten"
run 0 generate --customers 5 --out "$T/gen"
run 0 generate --customers 7 --out "$T/gen"	# its own folder: written again
[ "$(ls -A "$T/gen" | tr '\n' ' ')" = ".c360-data customers.csv orders.csv payments.csv support_tickets.csv web_activities.csv " ] &&
	pass || fail "generate's folder: $(ls -A "$T/gen")"
echo x >"$T/gen/extra.txt"
run 1 generate --customers 5 --out "$T/gen"
has "$T/err" "(extra.txt)"

# Bad --out values are usage errors before any work: nothing is written anywhere.
cp -r "$SAMPLE" "$T/data"
ln -s data "$T/link"
for out in "" / "$T/data" "$T/data/site" "$T/link/site" "$T" "$T/data/../data/x"; do
	run 2 build --data "$T/data" --out "$out"
	has "$T/err" "^c360: --out cannot "
	has "$T/err" "^usage: c360 build "
done
run 2 generate --customers 5 --out ""
run 2 generate --customers 5 --out /
( cd "$T/data" && $C360 build --data . --out site >"$T/out" 2>"$T/err" ); [ $? = 2 ] && pass || fail "--out site in --data ."
has "$T/err" "^c360: --out cannot be inside the data folder: site$"
( cd "$T/data" && $C360 build --data . --out .. >"$T/out" 2>"$T/err" ); [ $? = 2 ] && pass || fail "--out .. around --data ."
has "$T/err" "^c360: --out cannot hold the data folder"
( cd "$T/data" && $C360 publish --data . --git pub >"$T/out" 2>"$T/err" ); [ $? = 2 ] && pass || fail "--git pub in --data ."
has "$T/err" "^c360: --git cannot be inside the data folder: pub$"	# publish has no --out: named as given
# the current folder, or one around it, as --out: a usage error that says why (helper 111: "cannot move the
# new site into .", even in an empty folder); its name from beside it builds
mkdir -p "$T/here"
( cd "$T/here" && $C360 build --data "$OLDPWD/data/sample" --out . >"$T/out" 2>"$T/err" ); [ $? = 2 ] && pass || fail "--out . was not refused"
err_has "c360: --out cannot be the current folder or hold it: a build puts a new folder in its place"
( cd "$T/here" && $C360 build --data "$OLDPWD/data/sample" --out "$T" >"$T/out" 2>"$T/err" ); [ $? = 2 ] && pass || fail "--out around . was not refused"
( cd "$T" && $C360 build --quiet --data "$OLDPWD/data/sample" --out here >"$T/out" 2>"$T/err" ) && [ -s "$T/here/index.html" ] && pass ||
	fail "--out here from beside it: $(head -2 "$T/err")"
# the sample's weeks pass the trend charts' 52: their captions say so (helper 112); the fixture's
# do not, and say nothing
grep -c '<figcaption>[^<]* per week, the last 52</figcaption>' "$T/here/index.html" | grep -qx 2 && pass ||
	fail "the trend charts do not say they show the last 52 weeks"
$C360 build --quiet --data tests/golden/fixture/in --out "$T/fx-weeks" 2>/dev/null &&
	grep -q '<figcaption>Valid orders and revenue per week</figcaption>' "$T/fx-weeks/index.html" && pass ||
	fail "a chart of fewer than 52 weeks says it is cut"
rm -rf "$T/fx-weeks"
mkdir -p "$T/gen-here"	# generate writes files into --out, no site: the current folder may be it
( cd "$T/gen-here" && $C360 generate --customers 5 --out . >"$T/out" 2>"$T/err" ) && [ -s "$T/gen-here/orders.csv" ] && pass ||
	fail "generate --out .: $(head -2 "$T/err")"
[ "$(ls "$T/data" | tr '\n' ' ')" = "customers.csv orders.csv payments.csv support_tickets.csv web_activities.csv " ] &&
	pass || fail "the data folder changed: $(ls "$T/data")"
ls "$T" | grep -q 'tmp-' && fail "a staging folder was made" || pass

# Nor may --out hold what the build reads: the build would move it aside with the previous site
# (the next build then had no configuration). A name kept (keep) is the user's and may.
run 0 build --data "$T/data" --out "$T/s"
printf 'title = Inside\n' >"$T/s/my.conf"
run 2 build --data "$T/data" --out "$T/s" --config "$T/s/my.conf"
has "$T/err" "^c360: --out holds --config, which a build would replace with the site (keep it outside, or name my.conf in keep): $T/s/my.conf$"
mkdir -p "$T/s/tpl" && printf 'templates = s/tpl\n' >"$T/c2.conf"
run 2 build --data "$T/data" --out "$T/s" --config "$T/c2.conf"
has "$T/err" "^c360: --out holds the templates, which a build would replace with the site (keep it outside, or name tpl in keep): $T/s/tpl$"
[ -f "$T/s/my.conf" ] && [ -d "$T/s/tpl" ] && pass || fail "a refused build moved what --out held"
# ... nor be the templates, the themes or the theme (was exit 1, "not a folder c360 made",
# where c360(1) promised a usage error)
"$C360" init "$T/proj" >/dev/null 2>&1
for dir in templates:templates themes:themes themes/default:theme; do
	run 2 build --config "$T/proj/c360.conf" --out "$T/proj/${dir%:*}"
	has "$T/err" "^c360: --out cannot be the ${dir#*:}, which a build reads (the site would take its place): $T/proj/${dir%:*}$"
done
# ... nor inside them (serve built again on the site's own writing there, helper 126; the
# templates folder with a site inside is not c360's)
for dir in templates/site:templates themes/site:themes themes/default/site:themes; do
	run 2 serve --config "$T/proj/c360.conf" --out "$T/proj/${dir%:*}"
	has "$T/err" "^c360: --out cannot be inside the ${dir#*:} folder, which a serve reads (keep the site beside it): $T/proj/${dir%:*}$"
done
[ -f "$T/proj/templates/index.md" ] && [ -f "$T/proj/themes/default/layout.html" ] && pass || fail "a refused build touched the project"
# a report's configuration without data = and no --data: the sample's figures under the report's
# title, said (the newcomer's first build of their own report wrote the sample's site, with a note)
run 0 check --config "$T/proj/c360.conf"
has "$T/err" "^c360: warning: neither --data nor $T/proj/c360.conf's data = names the exports: reading the bundled sample data, .*/data/sample$"
run 0 check --config "$T/proj/c360.conf" --data data/sample
hasnt "$T/err" "bundled sample"
printf 'data = %s/data/sample\n' "$PWD" >"$T/proj-data.conf"
run 0 check --config "$T/proj-data.conf" --quiet
hasnt "$T/err" "bundled sample"
run 0 check
hasnt "$T/err" "bundled sample"
printf 'title = Inside\nkeep = .git, my.conf\n' >"$T/s/my.conf"
run 0 build --data "$T/data" --out "$T/s" --config "$T/s/my.conf"
[ -f "$T/s/my.conf" ] && pass || fail "a kept configuration in --out was moved"

# A build that stops says what became of --out, and never calls a folder that was not there unchanged.
rm "$T/data/customers.csv"
run 1 build --data "$T/data" --out "$T/new"
has "$T/err" "^c360: the build stopped; $T/new was not created$"
hasnt "$T/err" "unchanged"
[ ! -e "$T/new" ] && pass || fail "$T/new was made"
run 1 build --data "$T/data" --out "$T/new/deep/site"	# nor the folders it would have been in
[ ! -e "$T/new" ] && pass || fail "$T/new/deep was made for a site that was not"
run 1 build --data "$T/data" --out "$T/site"
has "$T/err" "^c360: the build stopped; $T/site is unchanged$"
# --quiet keeps the errors, and only them: no warning, no summary line.
run 1 build --quiet --data "$T/data" --out "$T/site"
has "$T/err" "data/customers.csv: error: required file missing"
has "$T/err" "^c360: the build stopped; $T/site is unchanged$"
hasnt "$T/err" "rows read"
cp "$SAMPLE/customers.csv" "$T/data/"
rm "$T/data/payments.csv"
run 0 build --data "$T/data" --out "$T/site"
has "$T/err" "data/payments.csv: warning: optional file missing"
run 0 build --quiet --data "$T/data" --out "$T/site"
empty "$T/err"
# A FIFO or a folder where that optional file was is an error as on a fresh --out, not the
# missing file the site was made without ("up to date", exit 0); the site stays as it was.
cp "$T/site/.c360-inputs" "$T/inputs.before"
for kind in fifo folder; do
	if [ $kind = fifo ]; then mkfifo "$T/data/payments.csv"; else mkdir "$T/data/payments.csv"; fi
	run 1 build --data "$T/data" --out "$T/site"
	has "$T/err" "data/payments.csv: error: cannot read: "
	has "$T/err" "^c360: the build stopped; $T/site is unchanged$"
	hasnt "$T/err" "up to date"
	cmp -s "$T/inputs.before" "$T/site/.c360-inputs" && pass || fail "a build stopped by a $kind changed the site"
	rm -rf "$T/data/payments.csv"
done
run 0 build --data "$T/data" --out "$T/site"
has "$T/err" "is up to date"
has "$T/err" "(--verbose builds it again, saying every problem in the data)$"	# what it said the first time
rm "$T/data/customers.csv"

# An optional source with every column renamed is left out with the [columns] lines a required
# one gets (its warning alone said no way on); --quiet keeps only errors
cp -r "$SAMPLE" "$T/renamed"
sed -i '1s/.*/pid,cust,pdate,method,status,amt/' "$T/renamed/payments.csv"
run 0 build --data "$T/renamed" --out "$T/renamed-site"
has "$T/err" "renamed/payments.csv:1: warning: required column \"customer_id\" missing; this optional source is left out"
has "$T/err" "^$T/renamed/payments.csv: note: a column of another name is named in a --config file (c360 init DIR writes one): \[columns\] payments.payment_id = NAME$"	# the first: how to make one
for col in payment_date amount; do
	has "$T/err" "^$T/renamed/payments.csv: note: a column of another name is named in a --config file: \[columns\] payments.$col = NAME$"
done
for col in customer_id=cust payment_method=method payment_status=status; do	# their words say so
	has "$T/err" "^$T/renamed/payments.csv: note: a column of another name is named in a --config file: \[columns\] payments.${col%=*} = ${col#*=} (a column of the header read as nothing, whose name may mean ${col%=*})$"
done
rm -rf "$T/renamed-site"
run 0 build --quiet --data "$T/renamed" --out "$T/renamed-site"
empty "$T/err"
# ... a header name with a # named unquoted (the rest of the line a comment): the nearest is
# named as the file has it, in quotes, with why
sed -i '1s/^pid,/Payment #,/' "$T/renamed/payments.csv"
printf '[columns]\npayments.payment_id = Payment #\n' >"$T/hash.conf"
run 0 check --data "$T/renamed" --config "$T/hash.conf"
has "$T/err" '\[columns\] payments.payment_id = payment: the header has no column of that name (nearest: "Payment #": write it in double quotes, as a # outside them starts a comment)$'
# ... an Excel workbook renamed .csv (a zip): said so, and how to make the CSV, not an encoding
printf 'PK\003\004\024\000\006\000\010\000\000\000!\000\342\377[Content_Types].xml\n' >"$T/renamed/payments.csv"
run 0 check --data "$T/renamed"
has "$T/err" "renamed/payments.csv:1:1: warning: the file is a spreadsheet (.xlsx, .xls or .ods), not CSV: save it as CSV UTF-8 (Excel: File, Save As); this optional source is left out and its sections say so$"
hasnt "$T/err" "renamed/payments.csv:.*name its encoding\|renamed/payments.csv:1:1: warning: the header row has bytes"
# (said once: not as columns missing or unknown, whose "names" would be the zip's bytes)
[ "$(grep -c 'renamed/payments.csv' "$T/err")" = 1 ] && pass || fail "a workbook's lines: $(grep 'renamed/payments.csv' "$T/err")"
grep -q '^payments  *not CSV ' "$T/out" && pass || fail "a workbook's status: $(grep '^payments ' "$T/out")"
# ... and as a required source's file: the one error, the build stopped
cp "$T/renamed/customers.csv" "$T/customers.keep"
cp "$T/renamed/payments.csv" "$T/renamed/customers.csv"
run 1 check --data "$T/renamed"
has "$T/err" "renamed/customers.csv:1:1: error: the file is a spreadsheet (.xlsx, .xls or .ods), not CSV: save it as CSV UTF-8 (Excel: File, Save As)$"
[ "$(grep -c 'renamed/customers.csv' "$T/err")" = 1 ] && pass || fail "a required workbook's lines: $(grep 'renamed/customers.csv' "$T/err")"
mv "$T/customers.keep" "$T/renamed/customers.csv"
# ... JSON saved as .csv (an array of objects; one object a line): said so, and how to make the CSV
json='renamed/payments.csv:1:1: warning: the file is JSON, not CSV: export it as CSV'
printf '[\n  {"payment_id": "P1", "customer_id": "C1"}\n]\n' >"$T/renamed/payments.csv"
run 0 check --data "$T/renamed"
has "$T/err" "$json"
printf '{"payment_id": "P1", "customer_id": "C1"}\n' >"$T/renamed/payments.csv"	# (its quotes: no CSV header)
run 0 check --data "$T/renamed"
has "$T/err" "$json.*; this optional source is left out and its sections say so$"
hasnt "$T/err" "renamed/payments.csv:1:.*malformed"
printf '[payment_id],[customer_id]\nP1,C1\n' >"$T/renamed/payments.csv"	# a bracketed CSV header is none
run 0 check --data "$T/renamed"
hasnt "$T/err" "JSON"
printf '[{note}],payment_id,customer_id\nx,P1,C1\n' >"$T/renamed/payments.csv"	# nor a column named [{note}]
run 0 check --data "$T/renamed"
hasnt "$T/err" "JSON"
grep -q '^payments  *loaded ' "$T/out" && pass || fail "payments with a column [{note}]: $(grep '^payments ' "$T/out")"
printf '{"note"},payment_id,customer_id\nx,P1,C1\n' >"$T/renamed/payments.csv"	# no key and value: a column {"note"}
run 0 check --data "$T/renamed"	# (its quotes inside the field, not at its start: the field's text, rules.md)
hasnt "$T/err" "JSON"
has "$T/err" 'renamed/payments.csv:1:1: note: unknown column "{"note"}" ignored'
printf '"{note}"x,payment_id,customer_id\nx,P1,C1\n' >"$T/renamed/payments.csv"	# text after a closing quote
run 1 check --data "$T/renamed"
hasnt "$T/err" "JSON"
has "$T/err" "renamed/payments.csv:1:1: error: the header row is malformed"
printf '{\n  "payments": [{"payment_id": "P1", "customer_id": "C1"}]\n}\n' >"$T/renamed/payments.csv"	# an object, pretty-printed
run 0 check --data "$T/renamed"
has "$T/err" "$json"
# ... an export of a header and no row (blank lines after it): a dashboard of zeros is said to be one
cp -r "$SAMPLE" "$T/headonly"
{ head -1 "$SAMPLE/orders.csv"; printf '\n\n'; } >"$T/headonly/orders.csv"
note='headonly/orders.csv: note: the file has its header row and no row after it: nothing of it is in the figures$'
run 0 check --data "$T/headonly"
has "$T/err" "$note"
run 0 build --data "$T/headonly" --out "$T/headonly-site"
has "$T/err" "$note"
hasnt "$T/err" "headonly/payments.csv: note: the file has its header"
head -2 "$SAMPLE/orders.csv" >"$T/headonly/orders.csv"
run 0 check --data "$T/headonly"
hasnt "$T/err" "the file has its header row and no row"

# ---- c360 check on broken input: what it could establish, the reason, exit 1
run 1 check --data "$T/data"
has "$T/err" "data/customers.csv: error: required file missing"
has "$T/out" "^customers  *missing$"
has "$T/out" "^orders  *loaded  *[0-9][0-9]*  *[0-9][0-9]*$"
hasnt "$T/out" "1970"
hasnt "$T/out" "as of"
hasnt "$T/out" "silver  "
cp -r "$SAMPLE" "$T/nodate"
for f in orders payments support_tickets web_activities; do
	head -1 "$SAMPLE/$f.csv" >"$T/nodate/$f.csv"
done
run 1 check --data "$T/nodate"
has "$T/err" "error: no fact has a date to take the as-of date from; pass --as-of YYYY-MM-DD"
hasnt "$T/out" "1970"
# ... and where the facts' dates are written in a form no rule reads, the warning that says so
# and names date_format comes with that error (it came only once --as-of was given)
cp -r "$SAMPLE" "$T/nodf"
printf '%s\n' order_id,customer_id,order_date,amount,status '1,100001,"Jan 3, 2024 9:05:00 PM",10.00,Shipped' \
	'2,100002,"Jan 4, 2024 9:05:00 AM",12.50,Shipped' >"$T/nodf/orders.csv"
for f in payments support_tickets web_activities; do
	head -1 "$SAMPLE/$f.csv" >"$T/nodf/$f.csv"
done
run 1 check --data "$T/nodf"
has "$T/err" "error: no fact has a date to take the as-of date from"
has "$T/err" "orders.csv: warning: no order_date of the file could be read as a date (2 invalid_date; --verbose shows some): the forms read are rules.md's, or \[read\] orders.date_format names the file's"
# with the format of those exports write that reads the values the messages quote: the first
# of a pair of orders that both read them, the other named
has "$T/err" "names the file's (strptime's, %s or excel); \"Jan 3, 2024 9:05:00 PM\" reads with \[read\] orders.date_format = %b %d, %Y %I:%M:%S %p\$"
printf '%s\n' order_id,customer_id,order_date,amount,status 1,100001,03/04/24,10.00,Shipped 2,100002,05/06/24,12.50,Shipped >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"
has "$T/err" "; \"03/04/24\" reads with \[read\] orders.date_format = %m/%d/%y (or %d/%m/%y if the day comes first)\$"
printf '%s\n' order_id,customer_id,order_date,amount,status 1,100001,03.04.24,10.00,Shipped 2,100002,13.06.24,12.50,Shipped >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"
has "$T/err" "; \"03.04.24\" reads with \[read\] orders.date_format = %d.%m.%y\$"
printf '%s\n' order_id,customer_id,order_date,amount,status 1,100001,03/04/24,10.00,Shipped 2,100002,13.06.24,12.50,Shipped >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"	# no one format reads both: none said
has "$T/err" "orders.date_format names the file's (strptime's, %s or excel)\$"
# a number reads as excel's days or %s's seconds whatever it is: those are said only for the
# digits their dates have (a year, 2019, is no excel 1905-07-12; 7 no %s 1970-01-01 00:00:07;
# 2024115 no %Y%m%d November 5), and 45306 is excel's
for v in 2019,2020 7,8 2024115,2024116; do
	printf '%s\n' order_id,customer_id,order_date,amount,status "1,100001,${v%,*},10.00,Shipped" \
		"2,100002,${v#*,},12.50,Shipped" >"$T/nodf/orders.csv"
	run 1 check --data "$T/nodf"
	has "$T/err" "orders.date_format names the file's (strptime's, %s or excel)\$"
done
printf '%s\n' order_id,customer_id,order_date,amount,status 1,100001,45306,10.00,Shipped 2,100002,1705312800,12.50,Shipped >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"
has "$T/err" "orders.date_format names the file's (strptime's, %s or excel)\$"
printf '%s\n' order_id,customer_id,order_date,amount,status 1,100001,45306,10.00,Shipped 2,100002,45307.5,12.50,Shipped >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"
has "$T/err" "; \"45306\" reads with \[read\] orders.date_format = excel\$"
# the value is what is between the message's first quote and its end: one whose own words, after a
# quote, are the message's is not its first part (01/15/24 read, the value not)
printf '%s\n' order_id,customer_id,order_date,amount,status '1,100001,"01/15/24"" is not a valid date; see",10.00,Shipped' \
	'2,100002,"02/16/24"" is not a valid date; see",12.50,Shipped' >"$T/nodf/orders.csv"
run 1 check --data "$T/nodf"
has "$T/err" "orders.date_format names the file's (strptime's, %s or excel)\$"
run 1 check --data "$T/nowhere"
has "$T/err" "cannot open the data folder: $T/nowhere"
hasnt "$T/err" "not a file"
run 1 check --data "$T/nodf/orders.csv"	# a file of the exports: its folder named
has "$T/err" "^c360: error: cannot open the data folder: $T/nodf/orders.csv (Not a directory); the data folder is the one that holds the exports, not a file: $T/nodf\$"
run 1 check --data "$T/nodf/orders.csv/x"	# under a file: no folder to name
hasnt "$T/err" "not a file"
empty "$T/out"
cp -r "$SAMPLE" "$T/nocol"
sed -i '1s/customer_id/client/' "$T/nocol/orders.csv"
run 1 check --data "$T/nocol"
has "$T/err" "nocol/orders.csv:1: error: required column \"customer_id\" missing"
cp -r "$SAMPLE" "$T/titled"	# a report's title line above the header: the setting that skips it
{ printf 'Customer report, all regions\n\n'; cat "$SAMPLE/customers.csv"; } >"$T/titled/customers.csv"
sed -i '1s/,/ /g' "$T/titled/customers.csv"
run 1 check --data "$T/titled"
has "$T/err" "titled/customers.csv: note: the header row has one column: if a title line comes before the header, \[read\] customers.header_row = N names the header's line"
run 1 check --data "$T/nocol"
hasnt "$T/err" "header_row"
cp -r "$SAMPLE" "$T/nostatus"	# payments without a status: what that does to the figures, and the way on
cut -d, -f5 --complement "$SAMPLE/payments.csv" >"$T/nostatus/payments.csv"
run 0 check --data "$T/nostatus"
has "$T/err" "nostatus/payments.csv: note: without a payment_status no payment counts as a success: .*'Success' AS payment_status"
run 0 check --data "$SAMPLE"
hasnt "$T/err" "without a payment_status"
# a header of more columns than a record keeps (65,536): said where the limit is passed, not
# as the columns past it missing (they were dropped), whether they come after the limit or before
seq -f 'x%g' 65537 | paste -sd, - >"$T/pad"	# (an awk loop of concatenations took 40 s)
for at in before after; do
	if [ $at = before ]; then
		{ printf '%s,' "$(cat "$T/pad")"; cat "$SAMPLE/orders.csv"; } >"$T/nocol/orders.csv"
	else
		{ head -n 1 "$SAMPLE/orders.csv" | tr -d '\r\n'; printf ',%s\n' "$(cat "$T/pad")"; tail -n +2 "$SAMPLE/orders.csv"; } >"$T/nocol/orders.csv"
	fi
	run 1 check --data "$T/nocol"
	has "$T/err" "^$T/nocol/orders.csv:1:65537: error: the header row has more than 65,536 columns"
	hasnt "$T/err" "required column"
done
cp -r "$T/site/gold" "$T/widegold"	# the same for render's gold tables
{ printf '%s,' "$(cat "$T/pad")"; cat "$T/site/gold/fact_orders.csv"; } >"$T/widegold/fact_orders.csv"
run 1 render --gold "$T/widegold" --out "$T/wide"
has "$T/err" "^$T/widegold/fact_orders.csv:1:65537: error: the header row has more than 65,536 columns"
hasnt "$T/err" "required column"

# ---- configuration errors that teach; the settings in force with --verbose
conf() { printf "$1" >"$T/c.conf"; run "$2" check --config "$T/c.conf"; }
# a theme that is not there: the themes there named (a themes folder of two, one a file)
mkdir -p "$T/th/plain" "$T/th/dark" && touch "$T/th/notes.txt" && cp themes/default/layout.html "$T/th/plain/"
printf 'themes = %s\ntheme = nosuch\n' "$T/th" >"$T/th.conf"
run 1 build --config "$T/th.conf" --data data/sample --out "$T/th-site"
has "$T/err" "^$T/th/nosuch: error: no such theme; $T/th holds: dark, plain (--theme or theme names one; themes = another"
mkdir "$T/th/$(printf 'x\033y')" && run 1 build --config "$T/th.conf" --data data/sample --out "$T/th-site"
has "$T/err" 'holds: dark, plain, x\\x1by (--theme'	# a name's control bytes shown as escapes
run 1 build --theme "$(printf 'n\033o')" --data data/sample --out "$T/th-site"	# and the theme asked for
has "$T/err" 'themes/n\\x1bo: error: no such theme'
# a theme's folder and a file of the name of one of c360's scripts are said, not left out
# without a word (helper 113); its other files are published
cp themes/default/* "$T/th/plain/" && mkdir "$T/th/plain/fonts" && echo x >"$T/th/plain/sort.js" && echo y >"$T/th/plain/extra.css"
printf 'themes = %s\ntheme = plain\n' "$T/th" >"$T/th.conf"
run 0 build --config "$T/th.conf" --data data/sample --out "$T/th-site"
has "$T/err" "^c360: $T/th/plain/fonts: warning: a folder, left out: a theme's files are copied to assets/, not its folders$"
has "$T/err" "^c360: $T/th/plain/sort.js: warning: c360's own script of that name takes its place in assets/"
[ "$(grep -c 'warning' "$T/err")" = 2 ] && [ -f "$T/th-site/assets/extra.css" ] && ! cmp -s "$T/th/plain/sort.js" "$T/th-site/assets/sort.js" &&
	pass || fail "the theme's other files: $(grep warning "$T/err")"
conf 'title = Acme\nchurn_window = 30\n' 1
has "$T/err" "^$T/c.conf:2:1: error: unknown key \"churn_window\" (did you mean \"churn_window_days\"?); see c360 help config$"
empty "$T/out"
conf '[files]\ncustomers = crm.csv\n[colums]\n' 1
has "$T/err" "^$T/c.conf:3:1: error: unknown section \[colums\] (did you mean \[columns\]?)"
conf 'title = "Acme 360\n' 1	# a value that opens a quote closes it
has "$T/err" "^$T/c.conf:1:9: error: title: a quote is never closed$"
conf 'title = 12" pizzas\nemail_to = "Smith, J" <j@example.org>\n' 0	# a quote inside, a quoted name
conf 'email_to = Smith, J <j@example.org>\n' 1	# unquoted: why, in one pair of parentheses
has "$T/err" "board@example.com; no group but the default, no quoted part before @ (no @ in the address; a name with a comma goes in double quotes)$"
hasnt "$T/err" "))"
conf 'title = "Acme" 12" pizzas\n' 0	# closed, then text: as written
conf '[read]\nweb_activities.comment = "#\n' 1	# a section's key too: "# would be read as the comment
has "$T/err" "^$T/c.conf:2:26: error: web_activities.comment: a quote is never closed$"
conf 'date_order = ymd\n' 1
has "$T/err" "^$T/c.conf:1:14: error: date_order: this value is not valid; expected day-first or month-first"
conf 'title =\n' 1
has "$T/err" "^$T/c.conf:1:1: error: title: the value cannot be empty; expected "
# [sql] views: a view no source reads is a note naming the source its name is near ("order =" is
# a view, not the orders); views reading each other in a circle are an error at the view, and the
# source reading them says which is not made
printf '[tables]\ncrm = customers.csv\n[sql]\ncustomers = SELECT * FROM people\npeople = SELECT * FROM crm\norder = SELECT 1\n' >"$T/v.conf"
run 0 check --config "$T/v.conf" --data data/sample
has "$T/err" "^$T/v.conf:6:1: note: \[sql\] order: no source's SELECT reads this view, nor a view one reads (did you mean the source \"orders\"? A key that is no source's is a view)$"
hasnt "$T/err" "people"
printf '[tables]\ncrm = customers.csv\n[sql]\ncustomers = SELECT * FROM a\na = SELECT * FROM b\nb = SELECT * FROM a\n' >"$T/v.conf"
run 1 check --config "$T/v.conf" --data data/sample
has "$T/err" "^$T/v.conf:6:5: error: \[sql\] b: views read each other in a circle (b reads a, which reads b); a view cannot read itself, nor a view that reads it$"
has "$T/err" "^$T/v.conf:4:13: error: \[sql\] customers: view a (line 5) is not made: its own error says why$"
run 0 help config
has "$T/out" "^  VIEW  *a view: a SELECT that the sources' SELECTs and other views read as table VIEW"
conf '[read]\norders.delimeter = ;\n' 1	# a source's option: the option is what is misspelt
has "$T/err" "^$T/c.conf:2:1: error: unknown key \"orders.delimeter\" (did you mean \"orders.delimiter\"?)"
conf 'site_url = intranet.example/c360/\n' 1	# an e-mail's link needs the whole address
has "$T/err" "^$T/c.conf:1:12: error: site_url: this value is not valid; expected the http:// or https:// address"
conf 'title = Acme\0 360\nchurn_window_days = 30\n' 1	# not text: said, not read up to the NUL
has "$T/err" "^$T/c.conf:1:13: error: a NUL byte; a configuration is text$"
conf '# Caf\351, a comment in Latin-1 is not read\ntitle = Caf\351 360\n' 1	# a Latin-1 title: said where, not a PDF's error
has "$T/err" "^$T/c.conf:2:12: error: byte 0xe9 is not UTF-8; save the configuration as UTF-8$"
conf '[categories]\ndevice = Kasse: \344\n' 1
has "$T/err" "^$T/c.conf:2:17: error: byte 0xe4 is not UTF-8"
conf '\357\273\277# saved by Notepad\ntitle = Caf\303\251 360\n' 0	# UTF-8 with a byte-order mark
conf '\357\273\277title = Caf\303\251 360\n' 0
awk 'BEGIN { printf "title = "; for (i = 0; i < 5000; i++) printf "x"; print "\nchurn_window_days = 30" }' >"$T/c.conf"
run 1 check --config "$T/c.conf"	# was read as two lines, the second an error at line 2
has "$T/err" "^$T/c.conf:1:1: error: the line is longer than 4096 bytes$"
awk 'BEGIN { printf "title = "; for (i = 0; i < 4087; i++) printf "x"; print "" }' >"$T/c.conf"
run 0 check --config "$T/c.conf"	# 4096 bytes with its end: a line still
printf 'title = Acme 360\n[columns]\norders.amount = total, sum\n' >"$T/c.conf"
run 0 check --verbose --config "$T/c.conf"
has "$T/out" "^# the settings in force: --config $T/c.conf"
has "$T/out" "^title = Acme 360$"
has "$T/out" "^churn_window_days = 90$"
has "$T/out" "^# date_order: not set (day-first where no file shows an order)$"
has "$T/out" "^orders = orders.csv$"
has "$T/out" "^orders.amount = total, sum$"
has "$T/out" '^thousands_separator = ","$'
has "$T/out" '^currency = ""$'
has "$T/out" '^# site_url: not set$'
# ... a configuration a build reads back as the same settings, from another folder (no empty
# value; its folders absolute; quotes where a value needs them): the whole output, whose
# data-quality summary is comments (its lines were read as [columns] entries)
settings() { sed '/^# the settings in force/d; /^# the data-quality summary:$/,$d' "$1"; }
again() { # again CHECK_OUTPUT
	cp "$1" "$T/again.conf"
	(cd / && "$C360" check --verbose --config "$T/again.conf" >"$T/again.out" 2>"$T/err") && pass ||
		fail "the settings printed do not read back: $(head -3 "$T/err")"
	settings "$T/again.out" >"$T/again.set"
	settings "$T/again.conf" | cmp -s - "$T/again.set" && pass ||
		fail "the settings printed read back otherwise: $(settings "$T/again.conf" | diff - "$T/again.set" | head -5)"
}
again "$T/out"
has "$T/out" "^# rows per source "
has "$T/out" "^# as of 2024-06-30$"
grep -v '^#' "$T/out" | grep -q 'rows per source\|^as of\|^customers  *loaded' && fail "check --verbose: a summary line is not a comment" || pass
# c360 check --verbose >x.conf; c360 build --config x.conf: the site the settings make
"$C360" check --verbose --config "$T/c.conf" >"$T/x.conf" 2>/dev/null
run 0 build --config "$T/x.conf" --out "$T/x-site"
grep -q '<title>[^<]*Acme 360' "$T/x-site/index.html" && pass || fail "the build did not take the title of check --verbose's settings"
printf 'title = "Q3 ""best"" #1 "\nthousands_separator = " "\nkeep = .git, notes\n[columns]\norders.order_id = "Order #", "a,b"\n' >"$T/c.conf"
run 0 check --verbose --config "$T/c.conf"
has "$T/out" '^title = "Q3 ""best"" #1 "$'
again "$T/out"
"$C360" init "$T/rt" >/dev/null 2>&1 && (cd "$T/rt" && "$C360" check --verbose --config c360.conf --data "$OLDPWD/data/sample" >"$T/rt.out" 2>/dev/null) &&
	pass || fail "check --verbose in a project made by init"
has "$T/rt.out" "^templates = $T/rt/templates$"
again "$T/rt.out"
# ... every section, not "copy them from the --config above": each example's configuration
# ([sql], [tables], [read], [currency], [categories], sources none, time zones, fill_down) reads
# back as the same settings, and a build of the settings printed makes the same site as the
# example's own (but the .c360- records, which hash the configuration's bytes)
for conf in examples/*/c360.conf; do
	run 0 check --verbose --config "$conf"
	hasnt "$T/out" "not repeated"
	again "$T/out"
done
for ex in hubspot salesforce magento; do
	"$C360" check --verbose --config "examples/$ex/c360.conf" >"$T/ex.conf" 2>/dev/null
	"$C360" build --config "examples/$ex/c360.conf" --data "examples/$ex" --out "$T/ex-a" >/dev/null 2>&1 &&
		"$C360" build --config "$T/ex.conf" --data "examples/$ex" --out "$T/ex-b" >/dev/null 2>&1 &&
		diff -r -x '.c360-*' "$T/ex-a" "$T/ex-b" >"$T/ex.diff" && pass ||
		fail "examples/$ex: the site of the settings printed differs: $(head -3 "$T/ex.diff")"
	rm -rf "$T/ex-a" "$T/ex-b"
done
# ... and a hand-written one whose values need quotes (#, "", commas, blanks at the ends), unicode,
# SQL lines that start with # (a comment) or [ (SQLite's quoted name, not a section), a label
# with a #, a rates file and rates before and after it, an endpoint with a password (not shown)
printf 'GBP,1.17\nUSD,0.5\n' >"$T/rates.csv"
cat >"$T/h.conf" <<'CONF'
title = "  Café #1 ""best"", ünïcode "
keep = ""
[files]
web_activities = none
[columns]
crm.town = "Ort, Stadt", location
orders.order_id = " Order #", "a,b"
web_activities.device_type = Gerät
[null]
orders.customer_id = 0, " - "
[read]
comment = "#"
orders.fill_down = "Order #", " x"
crm.header_row = 1
[tables]
crm = customers.csv
[sql]
customers =
    SELECT customer_id, name, email, gender, dob,
# the town, as the CRM names it
    [town]
    AS location, '#1 "x"' AS tag, _file, _line
    FROM crm
[categories]
order_status."Done #1" = "fertig, ok", erledigt
[currency]
usd = 0.92
rates_file = rates.csv
jpy = 0.006125
[s3]
endpoint = https://me:s3cr3t@minio.example
CONF
run 0 check --verbose --config "$T/h.conf" --data "$SAMPLE"
has "$T/err" "^$T/h.conf:8: note: \[columns\] web_activities.device_type: not used: \[files\] web_activities = none, so no file of it is read$"
has "$T/out" '^title = "  Café #1 ""best"", ünïcode "$'
has "$T/out" '^keep = ""$'
has "$T/out" '^crm.town = "ort,_stadt", location$'
has "$T/out" '^orders.fill_down = "Order #", " x"$'
has "$T/out" '^    \[town\]$'
has "$T/out" '^    AS location, '"'#1 \"x\"'"' AS tag, _file, _line$'
hasnt "$T/out" 'the town, as'
has "$T/out" '^order_status."Done #1" = fertigok, erledigt$'
has "$T/out" "^rates_file = $T/rates.csv$"
has "$T/out" '^JPY = 0.006125$'
hasnt "$T/out" '^USD'	# the file's, set after the line's
has "$T/out" '^endpoint = https://...@minio.example$'
hasnt "$T/out" 's3cr3t'
again "$T/out"
"$C360" check --verbose --config "$T/h.conf" --data "$SAMPLE" >"$T/h.out" 2>/dev/null
"$C360" build --config "$T/h.conf" --data "$SAMPLE" --out "$T/h-a" >/dev/null 2>&1 &&
	"$C360" build --config "$T/h.out" --data "$SAMPLE" --out "$T/h-b" >/dev/null 2>&1 &&
	diff -r -x '.c360-*' "$T/h-a" "$T/h-b" >"$T/h.diff" && pass || fail "the site of the settings printed differs: $(head -3 "$T/h.diff")"
rm -rf "$T/h-a" "$T/h-b"
run 0 check --config "$T/c.conf"
hasnt "$T/out" "settings in force"
printf 'thousands_separator = " "\ncurrency = EUR\n' >"$T/c.conf"
run 0 check --verbose --config "$T/c.conf"
has "$T/out" '^thousands_separator = " "$'
has "$T/out" '^currency = "EUR"$'
conf 'thousands_separator =\n' 1	# no value is empty: "" says none
has "$T/err" "^$T/c.conf:1:1: error: thousands_separator: the value cannot be empty; expected "
# keep names what c360 does not make: each entry a site holds (files and packed, .c360-* aside)
# is an error at its column, not a name kept in vain (the site's own was written over it)
run 0 build --quiet --customer-pages packed --out "$T/packed"
names=$( (ls "$T/site"; ls "$T/packed") | sort -u)
[ "$(echo $names | wc -w)" -ge 12 ] && pass || fail "the sites hold only: $names"
for name in $names; do
	conf "keep = .git,  $name\n" 1
	has "$T/err" "^$T/c.conf:1:15: error: keep: this value is not valid; .* ($name is the site's own, which every build writes"
done
conf 'keep = "CNAME, weekly"\n' 1	# quoted: the column is still the name's
has "$T/err" "^$T/c.conf:1:16: error: keep: .* (weekly is the site's own"
conf 'keep = .git, .c360-cache\n' 1
has "$T/err" "^$T/c.conf:1:14: error: keep: .* (.c360-cache: the .c360- files are c360's own)$"
conf 'keep = .git, notes.txt, index.htm\n' 0

# ---- publish commits the edition and nothing else: a file c360 did not write (nor keep names)
# is said and left out of the commit, where git add -A committed it as the edition, and the next
# edition, whose build moves it aside, its removal
if command -v git >/dev/null; then
	export GIT_AUTHOR_NAME=c360 GIT_AUTHOR_EMAIL=c360@example.com GIT_COMMITTER_NAME=c360 \
		GIT_COMMITTER_EMAIL=c360@example.com GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
	run 0 publish --quiet --data "$SAMPLE" --git "$T/pub"
	echo 'User-agent: *' >"$T/pub/robots.txt"
	mkdir "$T/pub/img" && echo x >"$T/pub/img/logo.png"
	echo example.org >"$T/pub/CNAME"	# kept: published
	run 0 publish --data "$SAMPLE" --git "$T/pub"
	has "$T/err" "is up to date"
	has "$T/err" "^c360: warning: $T/pub holds img/logo.png, robots.txt, which c360 did not make and keep does not name: left out of the commit (add their names to keep to publish them)$"
	[ "$(git -C "$T/pub" show --name-only --format= HEAD)" = CNAME ] && pass ||
		fail "the commit of an up-to-date site: $(git -C "$T/pub" show --name-only --format= HEAD | head -3)"
	git -C "$T/pub" ls-files | grep -q 'robots\|img/' && fail "a file c360 did not write was committed" || pass
	run 0 publish --data "$SAMPLE" --as-of 2024-06-01 --git "$T/pub"
	git -C "$T/pub" log --name-only --format= | grep -q 'robots\|img/' && fail "a stray file's removal was committed" || pass
	[ -z "$(git -C "$T/pub" status --porcelain)" ] && pass || fail "the working tree is not clean: $(git -C "$T/pub" status --porcelain | head -3)"
	echo 'User-agent: *' >"$T/pub/robots.txt"
	printf 'keep = .git, CNAME, robots.txt\n' >"$T/keep.conf"
	run 0 publish --config "$T/keep.conf" --data "$SAMPLE" --as-of 2024-06-01 --git "$T/pub"
	hasnt "$T/err" "left out of the commit"
	git -C "$T/pub" ls-files | grep -qx robots.txt && pass || fail "a name in keep was not committed"
	# ... nor the removal of a file committed by hand, which the next build moves aside: an
	# edition removes only files of the site HEAD holds (its .c360-site lists them)
	echo 'humans' >"$T/pub/humans.txt"
	git -C "$T/pub" add humans.txt && git -C "$T/pub" commit -qm 'by hand'
	run 0 publish --config "$T/keep.conf" --data "$SAMPLE" --as-of 2024-06-08 --git "$T/pub"
	has "$T/err" "^c360: warning: $T/pub no longer holds humans.txt, which c360 did not make and keep does not name: its removal is left out of the commit"
	[ "$(git -C "$T/pub" log -1 --format=%s)" = "Customer 360 as of 2024-06-08" ] && pass || fail "the edition of 2024-06-08 was not committed"
	git -C "$T/pub" show --name-only --format= HEAD | grep -x humans.txt && fail "a hand-committed file's removal was committed as the edition" || pass
	# ... nor a file the user staged (git commit commits the index whole): refused before the build
	echo notes >"$T/pub/notes.txt"
	git -C "$T/pub" add notes.txt
	head=$(git -C "$T/pub" rev-parse HEAD)
	run 1 publish --config "$T/keep.conf" --data "$SAMPLE" --as-of 2024-06-15 --git "$T/pub"
	has "$T/err" "^c360: error: the index of $T/pub holds changes c360 did not make (notes.txt): .*not publishing (unstage them: git -C $T/pub reset -q -- notes.txt)$"
	hasnt "$T/err" "rows read"
	[ "$(git -C "$T/pub" rev-parse HEAD)" = "$head" ] && pass || fail "a file the user staged was committed"
	git -C "$T/pub" reset -q -- notes.txt
	run 0 publish --config "$T/keep.conf" --data "$SAMPLE" --as-of 2024-06-15 --git "$T/pub"
	git -C "$T/pub" ls-files | grep -qx notes.txt && fail "notes.txt was committed once unstaged" || pass
	# the hint is a command to paste, also before the first commit, with names the shell splits
	hint_unstages() {
		sed -n 's/^c360: error: the index .*(unstage them: \(git -C .*\))$/\1/p' "$T/err" >"$T/hint"
		[ -s "$T/hint" ] && sh "$T/hint" && [ -z "$(git -C "$T/unborn" diff --cached --name-only)" ] && pass ||
			fail "the unstage hint did not unstage: $(cat "$T/hint")"
	}
	mkdir "$T/unborn" && git init -q "$T/unborn"
	echo notes >"$T/unborn/my notes.txt" && echo it >"$T/unborn/it's" && git -C "$T/unborn" add .
	run 1 publish --data "$SAMPLE" --git "$T/unborn"
	hint_unstages
	# ... beyond three paths, the whole index (publish stages its own changes again)
	touch "$T/unborn/a" "$T/unborn/b" && git -C "$T/unborn" add .
	run 1 publish --data "$SAMPLE" --git "$T/unborn"
	has "$T/err" "(a b it's ...): .*(unstage them: git -C $T/unborn reset -q)$"
	hint_unstages
	rm "$T/unborn/my notes.txt" "$T/unborn/it's" "$T/unborn/a" "$T/unborn/b"
	run 0 publish --data "$SAMPLE" --git "$T/unborn"
else
	skipped=$((skipped + 1))
	echo "skipped: publish (no git)"
fi

finish ux
