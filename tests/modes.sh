#!/bin/sh
# modes.sh — customer_pages: files, packed, top N and none make the pages they say, every link
# of each site leads somewhere (tests/links.mjs), packed pages are the files' pages, and hostile
# text stays text in the packs' JavaScript.
# Usage: tests/modes.sh   (C360 names the binary)
set -u
. tests/lib.sh

links() {
	if node tests/links.mjs "$1" >"$T/links"; then pass; else fail "dead links in $2: $(head -3 "$T/links")"; fi
	grep -q '^[1-9][0-9]* links checked' "$T/links" && pass || fail "$2: no link checked"
}
count() { find "$@" -type f 2>/dev/null | wc -l; }

# The site's search records, packs and ranks as the browser has them: node -e "$SCRIPTS ..." SITE
SCRIPTS='const fs = require("fs"), vm = require("vm"), path = require("path"), site = process.argv[1];
const C360 = {}, packs = {}, records = [], ctx = vm.createContext({ C360, window: { C360 }, document: { addEventListener() {} }, TextEncoder, TextDecoder });
const run = (f) => vm.runInContext(fs.readFileSync(path.join(site, f), "utf8"), ctx);
if (fs.existsSync(path.join(site, "assets/viewer.js"))) run("assets/viewer.js");
let ranks = null;
C360.customers = (k, l, m) => { packs[k] = l.map((r) => [r[0], r[1], C360.unpack(r[2], m)]); }; C360.records = (k, l) => records.push(...l); C360.ranks = (w, d) => { ranks = { w, d }; };
for (const d of ["customers/packed", "customers/search"]) for (const f of fs.existsSync(path.join(site, d)) ? fs.readdirSync(path.join(site, d)) : []) if (/^(\d+|r\d+|ranks)\.js$/.test(f)) run(d + "/" + f);
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const rank = (at) => { let r = 0; for (let i = at * ranks.w; i < (at + 1) * ranks.w; i++) r = r * 64 + DIGITS.indexOf(ranks.d[i]); return r; };
const packed = Object.values(packs).flat();'

run 0 generate --customers 300 --seed 11 --out "$T/data"
customers=$(($(wc -l <"$T/data/customers.csv") - 1))

# ---- files (the default at this size), and the summary says why
run 0 build --data "$T/data" --out "$T/files"
err_has "^c360: customer pages: files ([0-9,]* customers <= 200,000; set customer_pages to change)$"
total=$(count "$T/files/customers"/[0-9a-f][0-9a-f])
[ "$total" -ge "$customers" ] && pass || fail "files: $total pages for $customers customers"
links "$T/files" files

# ---- packed: no page files, ~100 customers a pack, each customer in exactly one pack, the
# pack viewer.js computes for its id; each body is the files page's <main>, its links from
# customers/ (../) instead of customers/XX/ (../../)
printf 'customer_pages = packed\n' >"$T/packed.conf"
run 0 build --data "$T/data" --config "$T/packed.conf" --out "$T/packed"
err_has "^c360: customer pages: packed (set by customer_pages)$"
[ "$(count "$T/packed/customers"/[0-9a-f][0-9a-f])" = 0 ] && pass || fail "packed: page files were written"
[ -s "$T/packed/customers/view.html" ] && pass || fail "packed: no customers/view.html"
file_has "$T/packed/customers/view.html" 'data-packs="4"'	# 300+ customers: 4 packs of ~80
[ "$(count "$T/packed/customers/packed")" = 4 ] && pass || fail "packed: $(count "$T/packed/customers/packed") packs"
links "$T/packed" packed
node -e "$SCRIPTS
const ids = packed.map((r) => r[0]), bad = [];
if (new Set(ids).size !== ids.length || ids.length !== records.length) bad.push('customers ' + ids.length + ', distinct ' + new Set(ids).size + ', records ' + records.length);
for (const [k, list] of Object.entries(packs)) for (const r of list) {
	if (C360.packOf(new Uint8Array(Buffer.from(r[0])), 4) !== Number(k)) bad.push(r[0] + ' in pack ' + k);
	const dirs = fs.readdirSync(path.join(process.argv[2], 'customers')).filter((d) => /^[0-9a-f]{2}$/.test(d));
	const file = dirs.map((d) => path.join(process.argv[2], 'customers', d, r[0] + '.html')).find((f) => fs.existsSync(f));
	const page = file ? fs.readFileSync(file, 'utf8') : '';
	const main = /<main id=\"main\">\n([^]*)\n<\/main>/.exec(page);
	if (!main || main[1].replace(/\.\.\/\.\.\//g, '../') !== r[2]) bad.push(r[0] + ': not its page body');
	const title = (/<title>(.*) · /.exec(page) || [])[1] || '';
	const text = title.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '\"').replace(/&#39;/g, \"'\").replace(/&amp;/g, '&');
	if (text !== r[1]) bad.push(r[0] + ': title ' + r[1] + ', the page: ' + title);
}
if (bad.length) { console.log(bad.slice(0, 5).join('\n')); process.exit(1); }" "$T/packed" "$T/files" >"$T/node" &&
	pass || fail "packed: $(head -5 "$T/node")"
# the pages the files mode names, as the search's records name them there
node -e "$SCRIPTS if (!records.every((r) => /^[0-9a-f]{2}\//.test(r[5]))) process.exit(1)" "$T/files" && pass ||
	fail "files: a search record without its page"

# ---- top N: pages for the N most valuable only; the others' names link nowhere
run 0 build --data "$T/data" --customer-pages "top 20" --out "$T/top"
err_has "^c360: customer pages: top 20 (set by --customer-pages)$"
run 0 build --data "$T/data" --config "$T/packed.conf" --customer-pages "top 20" --out "$T/top"
err_has "^c360: customer pages: top 20 (set by --customer-pages)$"
err_has "^c360: wrote $T/top: index.html, 20 customer pages,"
[ "$(count "$T/top/customers"/[0-9a-f][0-9a-f])" = 20 ] && pass || fail "top 20: $(count "$T/top/customers"/[0-9a-f][0-9a-f]) pages"
links "$T/top" "top 20"
node -e "$SCRIPTS
const bad = records.filter((r, at) => (rank(at) < 20) !== (r[5] !== ''));
if (bad.length) { console.log(bad.length + ' records: ' + bad[0]); process.exit(1); }" "$T/top" >"$T/node" &&
	pass || fail "top 20: records with a page are not the 20 of highest value: $(cat "$T/node")"
grep -c '<td><a href="customers/' "$T/top/churn-risk.html" >"$T/linked"
grep -c '<tr>' "$T/top/churn-risk.html" >"$T/rows"
[ "$(cat "$T/linked")" -lt "$(cat "$T/rows")" ] && pass || fail "top 20: every churn-risk row links"

# ---- none: no pages, no links to customers
run 0 build --data "$T/data" --customer-pages none --out "$T/none"
[ ! -e "$T/none/customers/packed" ] && [ "$(count "$T/none/customers"/[0-9a-f][0-9a-f])" = 0 ] && pass ||
	fail "none: customer pages were written"
links "$T/none" none
grep -rl 'customers/[0-9a-f][0-9a-f]/\|view.html' "$T/none" --include=*.html >"$T/linking" && fail "none: links to customers in $(head -2 "$T/linking")" || pass

# ---- the setting's values
printf 'customer_pages = top 0\n' >"$T/bad.conf"
run 1 check --data "$T/data" --config "$T/bad.conf"
err_has "bad.conf:1:[0-9]*: error: .*customer_pages"
run 2 build --data "$T/data" --customer-pages sometimes --out "$T/x"
run 0 build --data "$T/data" --config "$T/packed.conf" --customer-pages files --out "$T/x"
err_has "^c360: customer pages: files"	# the option wins over the configuration

# ---- hostile text in packs: markup, quotes, backslashes, </script>, <!--, U+2028 and U+2029
# stay text: every pack runs, and every name round-trips (a pack is a script file, loaded by its
# src: its < need no escaping, an HTML parser never reads it)
hostile_data "$T/hostile"
printf 'sep\342\200\2501,"Line\342\200\250sep\342\200\251para",s@s.io,f,1990-01-01,x\n' >>"$T/hostile/customers.csv"	# in a name, white space
printf '%s\n' 'x<!--y,"</script><!-- ""quote"" \ back '"'it'"'",q@q.io,f,1990-01-01,"<!--"' >>"$T/hostile/customers.csv"
run 0 build --data "$T/hostile" --customer-pages packed --out "$T/hsite"
links "$T/hsite" "hostile packed"
grep -l "$(printf '\342\200\250')" "$T/hsite/customers/packed/"*.js >"$T/raw" && fail "a pack holds a raw U+2028" || pass
node -e "$SCRIPTS
const want = { '../../../etc/passwd': '<Script>alert(1)</script>', 'sep\u20281': 'Line Sep Para',
	'x<!--y': '</Script><!-- \"Quote\" \\\\ Back \'It\'', '<svg onload=alert(1)>': 'Robert\"); Drop Table--' };
const bad = Object.entries(want).filter(([id, name]) => { const r = packed.find((x) => x[0] === id); return !r || r[1] !== name; });
if (bad.length) { console.log(JSON.stringify(bad) + ' have ' + JSON.stringify(packed.map((r) => [r[0].slice(0, 30), r[1].slice(0, 40)]))); process.exit(1); }
if (packed.some((r) => /<script>alert|<img src=x|<h1>pwn/.test(r[2]))) process.exit(2);" "$T/hsite" >"$T/node" &&
	pass || fail "hostile names in packs: $(head -c 600 "$T/node")"

# ---- a project made by an older `c360 init` has no viewer templates: c360's own are used
run 0 init "$T/old"
rm "$T/old/templates/customer_view.md" "$T/old/templates/customer_viewer.html"
run 0 build --data "$T/data" --config "$T/old/c360.conf" --customer-pages packed --out "$T/oldsite"
cmp -s "$T/oldsite/customers/view.html" "$T/packed/customers/view.html" && pass || fail "an old project's viewer page differs"
links "$T/oldsite" "old project, packed"

finish modes
