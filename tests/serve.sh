#!/bin/sh
# serve.sh — `c360 serve`: the site over HTTP with the right types, GET and HEAD only, nothing
# outside the site, rebuilds when a template, the theme, the data or the configuration
# changes (a failed one keeps the previous site), the reload script, and a clean stop.
# Usage: tests/serve.sh   (C360 names the binary; C360_BROWSER=0 skips Chromium; every wait is bounded)
set -u
BROWSER=${C360_BROWSER:-1}
. tests/lib.sh
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# until_ok CMD...: runs CMD every 0.1 s until it succeeds; false after 60 s.
until_ok() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt 600 ] || return 1
		sleep 0.1
	done
}
check() { if "$@"; then pass; else fail "$*"; fi; }
# fetch PATH [CURL ARGS...]: the response body on stdout, the path sent as written.
fetch() {
	p=$1
	shift
	curl -s --max-time 20 --path-as-is "$@" "$URL$p"
}
# status_type PATH WANT: "STATUS CONTENT-TYPE" of a GET is WANT.
status_type() {
	got=$(fetch "$1" -o /dev/null -w '%{http_code} %{content_type}')
	if [ "$got" = "$2" ]; then pass; else fail "GET $1: \"$got\", want \"$2\""; fi
}
build_id() { fetch /__c360/build-id; }
# rebuilt_from ID: waits until the build id is no longer ID (it changes once the new site is in).
rebuilt_from() {
	prev=$1
	until_ok id_changed
}
id_changed() { [ "$(build_id)" != "$prev" ]; }
served_has() { fetch "$1" | grep -q "$2"; }
# start LOG ARGS...: c360 serve ARGS in the background, its output in LOG; sets pid and URL
# once it says where it serves.
start() {
	log=$1
	shift
	$C360 serve --port 0 "$@" >"$log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	URL=
	until_ok grep -q "serving .* at http://" "$log" || { fail "c360 serve $* did not start: $(tail -3 "$log")"; return 1; }
	URL=$(sed -n 's|.*serving .* at \(http://[0-9.]*:[0-9]*\)/ .*|\1|p' "$log")
}
# stop SIGNAL: the server ends with status 0, leaving the site and nothing beside it.
stop() {
	kill -"$1" "$pid"
	wait "$pid"
	status=$?
	if [ "$status" = 0 ]; then pass; else fail "c360 serve stopped by SIG$1 exited $status"; fi
	if kill -0 "$pid" 2>/dev/null; then fail "c360 serve still runs after SIG$1"; else pass; fi
	if grep -q "Sanitizer\|runtime error\|==[0-9]*==" "$log"; then fail "memory error: $(head -20 "$log")"; else pass; fi
}

# A project of our own (its templates and theme are ours to edit) on a copy of the sample.
$C360 init "$T/p" 2>/dev/null || fail "c360 init"
cp -r data/sample "$T/data"
args="--config $T/p/c360.conf --data $T/data"
start "$T/log" $args --out "$T/site" || { finish serve; exit; }

# --- types, HEAD, methods
status_type / "200 text/html; charset=utf-8"
status_type /quality.html "200 text/html; charset=utf-8"
status_type /customers/ "200 text/html; charset=utf-8"
status_type /assets/style.css "200 text/css; charset=utf-8"
status_type /assets/search.js "200 text/javascript; charset=utf-8"
status_type /assets/favicon.svg "200 image/svg+xml"
status_type /charts/orders.png "200 image/png"
status_type /weekly/report.pdf "200 application/pdf"
status_type /weekly/email.eml "200 message/rfc822"
status_type /gold/dim_customer.csv "200 text/csv; charset=utf-8"
status_type /__c360/reload.js "200 text/javascript; charset=utf-8"
status_type /__c360/build-id "200 text/plain; charset=utf-8"
status_type /no-such-page.html "404 text/plain; charset=utf-8"
status_type /gold/ "404 text/plain; charset=utf-8"	# no listing of a folder without index.html
got=$(fetch /customers -o /dev/null -w '%{http_code} %{redirect_url}')
check [ "$got" = "301 $URL/customers/" ]
# one connection serves several requests
got=$(curl -s --max-time 20 -o /dev/null -o /dev/null -w '%{num_connects}' "$URL/" "$URL/quality.html")
check [ "$got" = 10 ]
fetch /assets/style.css -D "$T/h" -o /dev/null
check grep -qi '^x-content-type-options: nosniff' "$T/h"
fetch /charts/orders.png | cmp -s - "$T/site/charts/orders.png"
check [ $? = 0 ]
fetch /weekly/report.pdf -I >"$T/h"
check grep -q '^HTTP/1.1 200' "$T/h"
check grep -qi "^content-length: $(wc -c <"$T/site/weekly/report.pdf")" "$T/h"
check [ "$(fetch /weekly/report.pdf -I -o /dev/null -w '%{size_download}')" = 0 ]
# bound to 127.0.0.1, only requests for localhost or an address are answered: a page of another
# name pointed at 127.0.0.1 (DNS rebinding) cannot read the site
host_status() {
	got=$(fetch / -H "Host: $1" -o /dev/null -w '%{http_code}')
	if [ "$got" = "$2" ]; then pass; else fail "GET / with Host: $1: $got, want $2"; fi
}
port=${URL##*:}
for h in "localhost:$port" LocalHost "127.0.0.1:$port" 127.8.9.10 "[::1]:$port" "app.localhost:$port"; do
	host_status "$h" 200
done
for h in "attacker.example:$port" attacker.example localhost.attacker.example "127.0.0.1.nip.io:$port" \
	xlocalhost "$(printf '%0300d' 0)"; do
	host_status "$h" 403
done
got=$(fetch /__c360/build-id -H "Host: rebound.example" -w ' %{http_code}')
check [ "$got" = "c360 serve answers requests for localhost or an address, not this host name
 403" ]
for m in POST PUT DELETE OPTIONS; do
	fetch / -X "$m" -d x=1 -D "$T/h" -o /dev/null
	if grep -q '^HTTP/1.1 405' "$T/h" && grep -qi '^allow: GET, HEAD' "$T/h"; then pass; else fail "$m: $(head -1 "$T/h")"; fi
done

# --- the pages are the files, with the reload script named before </body>
id1=$(build_id)
check [ -n "$id1" ]
fetch / >"$T/page"
check grep -q "^<script src=\"/__c360/reload.js\" data-build=\"$id1\" defer></script>$" "$T/page"
check [ "$(grep -A1 '__c360/reload.js' "$T/page" | tail -1)" = "</body>" ]
sed '/__c360\/reload.js/d' "$T/page" | cmp -s - "$T/site/index.html"
check [ $? = 0 ]
fetch /__c360/reload.js | grep -q '"/__c360/build-id"'
check [ $? = 0 ]
# ... and the files on disk are what `c360 build` writes.
$C360 build $args --out "$T/built" 2>/dev/null
check diff -r "$T/built" "$T/site"

# --- nothing outside the site: climbing, encoded dots and slashes, NUL, dot files, links out
for p in /../etc/passwd /../../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /%2E%2E/%2E%2E/etc/passwd \
	/..%2f..%2fetc/passwd /%2e%2e%2f%2e%2e%2fetc%2fpasswd /%252e%252e/%252e%252e/etc/passwd \
	/assets/..%2f..%2f..%2fetc/passwd /index.html%00 /index.html%00.png /%00 /.c360-site /./index.html; do
	status_type "$p" "404 text/plain; charset=utf-8"
done
mkdir "$T/outside"
echo secret >"$T/outside/secret.txt"
ln -s "$T/outside" "$T/site/out"
ln -s "$T/outside/secret.txt" "$T/site/secret.txt"
ln -s "$T/outside" "$T/site/assets/up"
status_type /out/secret.txt "404 text/plain; charset=utf-8"
status_type /secret.txt "404 text/plain; charset=utf-8"
status_type /assets/up/secret.txt "404 text/plain; charset=utf-8"
mkdir "$T/site/a b" && touch "$T/site/a b/index.html"
got=$(fetch /a%20b -o /dev/null -w '%{http_code} %{redirect_url}')
check [ "$got" = "301 $URL/a%20b/" ]

# --- a changed template is rebuilt and served; the build id changes
echo "not a source" >"$T/p/notes.txt"	# beside the configuration: does not count
# an editor's files beside the template (vim's swap file and write test, a backup, emacs's
# lock) do not count either: were they a change, the first rebuild would name one
for f in .index.md.swp 4913 index.md~ .#index.md '#index.md#'; do echo x >"$T/p/templates/$f"; done
sleep 0.3
echo "Served after an edit: marker-one." >>"$T/p/templates/index.md"
check rebuilt_from "$id1"
# the first rebuild names the template (a writer slow to close it may start a second one)
check [ "$(grep -m1 'changed; rebuilding' "$T/log")" = "c360: $T/p/templates/index.md changed; rebuilding" ]
id2=$(build_id)
check served_has / marker-one
check served_has / "data-build=\"$id2\""
check [ ! -e "$T/site/out" ] && check [ -f "$T/outside/secret.txt" ]	# the previous site was replaced whole
grep -r -l "__c360" "$T/site" >"$T/injected"
check [ ! -s "$T/injected" ]
# the theme and the data folder are watched too
echo "/* marker-two */" >>"$T/p/themes/default/style.css"
check rebuilt_from "$id2"
id3=$(build_id)
check served_has /assets/style.css marker-two
# a page of the project's own: templates/pages/ made while serving is built, then watched
mkdir "$T/pages.new"
printf '# Own\n\nmarker-own-one\n' >"$T/pages.new/own.md"
mv "$T/pages.new" "$T/p/templates/pages"
check until_ok served_has /own.html marker-own-one
printf '# Own\n\nmarker-own-two\n' >"$T/p/templates/pages/own.md"
check until_ok served_has /own.html marker-own-two
id3=$(build_id)
# (an export touched, its bytes the same: rebuilt, the build finds the site up to date, and says
# only that; the open pages are as they were, and do not reload)
touch "$T/data/orders.csv"
check until_ok grep -q "^c360: $T/data/orders.csv changed; rebuilding$" "$T/log"
check until_ok grep -q "is up to date" "$T/log"
check [ "$(build_id)" = "$id3" ]

# --- a configuration that fails keeps the previous site; fixing it rebuilds
id4=$(build_id)
cp "$T/p/c360.conf" "$T/conf.good"
echo "no_such_key = 1" >>"$T/p/c360.conf"
check until_ok grep -q "the rebuild failed; still serving the previous site" "$T/log"
check grep -q "c360.conf:.*no_such_key" "$T/log"
check [ "$(build_id)" = "$id4" ]
check served_has / marker-one
# (written in place: a build may start on the file truncated, when sed is slow to start; the
# fixed file's writes start another)
sed 's/^title = .*/title = Marker Three Report/' "$T/conf.good" >"$T/p/c360.conf"
check until_ok served_has / "Marker Three Report"
check [ "$(build_id)" != "$id4" ]

# --- a template broken, then put back: the rebuild fails, then finds the site up to date and
# says that alone (it was followed by "rebuilt ...; open pages reload")
id5=$(build_id)
cp "$T/p/templates/segments.md" "$T/segments.good"
{ cat "$T/segments.good"; echo "{{nosuch}}"; } >"$T/segments.bad" && mv "$T/segments.bad" "$T/p/templates/segments.md"
check until_ok grep -q "segments.md:.*nosuch" "$T/log"
check until_ok grep -q "the rebuild failed; still serving the previous site" "$T/log"
# ... the open pages show why (reload.js puts /__c360/failed over the page) until a build succeeds
check served_has /__c360/failed "segments.md:[0-9]*:[0-9]*: error: {{nosuch}}"
check served_has /__c360/reload.js "/__c360/failed"
ups=$(grep -c "is up to date" "$T/log")
more_up() { [ "$(grep -c "is up to date" "$T/log")" -gt "$ups" ]; }
cp "$T/segments.good" "$T/segments.back" && mv "$T/segments.back" "$T/p/templates/segments.md"
check until_ok more_up
check [ -z "$(fetch /__c360/failed)" ]
sleep 0.5
check [ "$(sed -n '/is up to date/{n;p;}' "$T/log" | grep -c 'rebuilt')" = 0 ]
check [ "$(build_id)" = "$id5" ]

# --- an open page reloads itself after a rebuild
if [ "$BROWSER" != 1 ]; then
	skipped=$((skipped + 1))
	echo "skipped: the Chromium part (C360_BROWSER=$BROWSER)"
elif browser_ready; then
	if node tests/browser/reload.mjs "$URL/" "$T/p/templates/index.md" marker-four >"$T/browser.out" 2>&1; then
		pass
	else
		fail "browser reload: $(tail -5 "$T/browser.out")"
	fi
fi

# --- rebuilds hold nothing open: no file of a site is left open once it is built (a file being
# served, or a rebuild still under way, holds some a moment)
no_fds() { ls -l "/proc/$pid/fd" 2>/dev/null | grep "$T/" | grep -v "$T/log$" >"$T/fds"; [ ! -s "$T/fds" ]; }
if until_ok no_fds; then pass; else fail "files held open: $(head -3 "$T/fds")"; fi
# ... nor one that finds the site up to date (an export written again with the same bytes):
# the exports read for the inputs' hash are let go
ups=$(grep -c "is up to date" "$T/log")
more_up() { [ "$(grep -c "is up to date" "$T/log")" -gt "$ups" ]; }
cp "$T/data/orders.csv" "$T/orders.same" && cat "$T/orders.same" >"$T/data/orders.csv"
check until_ok more_up
if until_ok no_fds; then pass; else fail "files held open after a build found the site up to date: $(head -3 "$T/fds")"; fi

# --- Ctrl-C stops it with status 0; the site stays, nothing is left beside it
stop INT
check [ -f "$T/site/index.html" ]
ls "$T" | grep '\.tmp-' >"$T/left"
check [ ! -s "$T/left" ]

# --- a signal during a build ends it as it ends `c360 build`: status 128 + the signal, the site
# served until then whole, nothing left beside it (here a build that would not end before
# sql_timeout's ten minutes: a [sql] SELECT that loops over no row; serve waited for its end)
cp -r "$T/p" "$T/p6"
start "$T/log6" --config "$T/p6/c360.conf" --data "$T/data" --out "$T/site6" && {
	cp -a "$T/site6" "$T/site6.before"
	printf '[sql]\nsupport_tickets = WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x AS ticket_id, x AS customer_id, x AS issue_type, x AS ticket_date, x AS resolution_status FROM r WHERE x < 0\n' \
		>>"$T/p6/c360.conf"
	check until_ok grep -q "changed; rebuilding" "$T/log6"
	sleep 1	# the build in its SELECT
	kill -INT "$pid"
	until_ok grep -q "^c360: interrupted; $T/site6 is unchanged$" "$T/log6" && pass ||
		{ fail "c360 serve not stopped by SIGINT during a build: $(tail -2 "$T/log6")"; kill -KILL "$pid"; }
	wait "$pid"
	check [ $? = 130 ]
	diff -r "$T/site6" "$T/site6.before" >"$T/diff" && pass || fail "an interrupted rebuild changed the site: $(head -3 "$T/diff")"
	ls "$T" | grep '\.tmp-' >"$T/left"
	check [ ! -s "$T/left" ]
	rm -rf "$T/site6.before"
}

# --- every build's settings are made anew from the command line, then the configuration, and
# freed whole: --customer-pages (a setting that keeps a copy of its value) over the file's, with
# every other option serve takes, through two rebuilds (when builds started from a shallow copy
# of the command line's settings, the first build freed --customer-pages' string, which every
# build read and the end freed again: under ASan a use after free; natively a crash at exit
# with 1M customers)
# conf7 TITLE: the configuration of this part, titled TITLE.
conf7() {
	printf 'title = %s\ncustomer_pages = none\nsite_url = https://intranet.example/c360/\nkeep = .git, notes.txt\n[categories]\norder_status.Completed = Done\n' \
		"$1" >"$T/c7.conf"
}
pages7() {
	check [ "$(find "$T/site7/customers" -name '*.html' ! -name index.html ! -path '*/search/*' | wc -l)" = 5 ]
}
conf7 "Seven One"
start "$T/log7" --quiet --customer-pages "top 5" --config "$T/c7.conf" --data "$T/data" --out "$T/site7" \
	--theme default --jobs 2 --bind 127.0.0.1 --as-of 2024-06-30 && {
	check served_has / "Seven One"
	pages7
	for t in Two Three; do
		conf7 "Seven $t"
		check until_ok served_has / "Seven $t"
		pages7
	done
	stop TERM
}

# hold N OPEN FROM: N connections to the server from 127.0.0.1, each holding a request half sent;
# OPEN of them still open a second later (any: not counted), and a request from FROM (an address
# of this machine; "": 127.0.0.1) still answered
hold() {
	python3 - "${URL##*:}" "$@" >"$T/held" 2>&1 <<'PY'
import socket, subprocess, sys, time
port, count, want, source = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
held = []
for i in range(count):
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    s.sendall(b'GET / HTTP/1.1\r\nHost: x')
    held.append(s)
time.sleep(1)
if want != 'any':
    open_ = 0
    for s in held:
        s.settimeout(0.02)
        try:
            open_ += s.recv(1) != b''
        except socket.timeout:
            open_ += 1
        except OSError:
            pass
    assert open_ == int(want), f'{open_} of {count} connections of one address held'
r = subprocess.run(['curl', '-s', '-m', '10'] + (['--interface', source] if source else []) +
                   ['-o', '/dev/null', '-w', '%{http_code}', f'http://127.0.0.1:{port}/index.html'],
                   capture_output=True, text=True)
assert r.stdout == '200', f'another client: {r.stdout} (curl {r.returncode})'
PY
}

# --- SIGTERM too, --quiet; a port in use, a first build that fails and bad options end at once
start "$T/log2" --quiet --out "$T/site2" && {
	check [ "$(wc -l <"$T/log2")" = 1 ]	# --quiet: only where it serves
	# on the loopback address every client is 127.0.0.1: 40 connections held open (idle tabs, a
	# script) keep no other client out (helper 126: 32 did)
	hold 40 any "" && pass || fail "loopback, 40 held connections: $(tail -2 "$T/held")"
	$C360 serve --port "${URL##*:}" --out "$T/site3" >"$T/busy" 2>&1
	check [ $? = 1 ]
	check grep -q "cannot listen on 127.0.0.1:${URL##*:}" "$T/busy"
	check grep -q -- "in use (another server has it: --port N names another, --port 0 any free one)$" "$T/busy"
	check [ ! -e "$T/site3" ]
	stop TERM
}
# bound to another address the site is on the network, as a published one: any host name
start "$T/log5" --quiet --bind 0.0.0.0 --out "$T/site5" && {
	host_status "attacker.example:${URL##*:}" 200
	# ... where one address that holds many connections open (a request sent a byte at a time)
	# has 32 of them, and another address is still served (helper 109: 1,085 held, none served)
	hold 300 32 127.0.0.2 && pass || fail "one address's held connections: $(tail -2 "$T/held")"
	stop TERM
}
$C360 serve --port 0 --data "$T/no-data" --out "$T/site4" >"$T/err" 2>&1
check [ $? = 1 ]
check [ ! -e "$T/site4" ]
for bad in "--port 65536" "--port -1" "--port x" "--bind localhost" "--bind 1.2.3"; do
	$C360 serve $bad >/dev/null 2>&1
	check [ $? = 2 ]
done
$C360 build --port 8360 >/dev/null 2>&1
check [ $? = 2 ]

finish serve
