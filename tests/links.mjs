// links.mjs SITE — every link of a built site leads somewhere: each href and src of its HTML
// pages, of the page bodies in customers/packed/*.js and of the search records
// (customers/search/r*.js) names a file of the site; a customers/view.html?id=ID link names a
// customer of the pack assets/viewer.js computes for ID. Prints the dead ones and exits 1 if
// there are any; prints how many links it checked.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const site = path.resolve(process.argv[2]);
const files = [];
(function walk(dir) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true }))
		if (e.isDirectory()) walk(path.join(dir, e.name)); else files.push(path.join(dir, e.name));
})(site);

// The site's scripts run as the browser runs them, their calls to C360 kept.
const C360 = {};
const packs = {}, records = [];
const context = vm.createContext({ C360, window: { C360 }, document: { addEventListener() {} }, TextEncoder, TextDecoder });
const run = (file) => vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
const viewer = path.join(site, 'assets/viewer.js');
if (fs.existsSync(viewer)) run(viewer);	// C360.packOf
C360.customers = (k, list, markup) => { packs[k] = list.map((r) => [r[0], r[1], C360.unpack(r[2], markup)]); };
C360.records = (k, list) => { records.push(...list); };
for (const f of files)
	if (/\/customers\/(packed\/\d+|search\/r\d+)\.js$/.test(f)) run(f);

const entity = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
let checked = 0, dead = 0;

function packsOf(view) {
	const m = /data-packs="(\d+)"/.exec(fs.readFileSync(view, 'utf8'));
	return m ? Number(m[1]) : 0;
}

// The id's bytes in view.html?id=...: c360 writes each byte but A-Z a-z 0-9 - . _ ~ as %XX.
function idBytes(query) {
	const param = query.split('&').find((p) => p.startsWith('id='));
	if (param === undefined) return null;
	return Buffer.from(param.slice(3).replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

function check(from, link) {
	if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('#') || link === '') return;
	checked++;
	const [rest, query = ''] = link.split('#')[0].split('?');
	const target = path.resolve(path.dirname(from), decodeURI(rest));
	let ok = target.startsWith(site) && fs.existsSync(target) && fs.statSync(target).isFile();
	if (ok && target === path.join(site, 'customers/view.html')) {
		const bytes = idBytes(query);
		const n = packsOf(target);
		const k = bytes && n ? C360.packOf(new Uint8Array(bytes), n) : -1;
		ok = k >= 0 && (packs[k] || []).some((r) => Buffer.from(r[0], 'utf8').equals(bytes));
	}
	if (!ok) {
		dead++;
		console.log(`dead link in ${path.relative(site, from)}: ${link}`);
	}
}

const attrs = /\b(?:href|src)="([^"]*)"/g;
for (const f of files)
	if (f.endsWith('.html'))
		for (const m of fs.readFileSync(f, 'utf8').matchAll(attrs)) check(f, entity(m[1]));
const view = path.join(site, 'customers/view.html');
for (const list of Object.values(packs))
	for (const r of list)
		for (const m of r[2].matchAll(attrs)) check(view, entity(m[1]));
for (const r of records)
	if (r[5]) check(path.join(site, 'customers/index.html'), r[5]);
console.log(`${checked} links checked, ${dead} dead`);
process.exit(dead ? 1 : 0);
