// search.mjs — assets/search.js run by node, without a browser: the page's elements are stubs,
// its <script> elements run the site's customers/search/*.js files. Prints the names the search
// shows for the query, one a line (the first page of results).
// Usage: node tests/search.mjs SITE_DIR QUERY
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

const [site, query] = process.argv.slice(2);
const dir = join(site, 'customers');

class Element {
	constructor(tag) { this.tag = tag; this.children = []; this.textContent = ''; this.listeners = {}; }
	appendChild(c) { this.children.push(c); if (this.tag === 'head') run(c); return c; }
	replaceChildren(...c) { this.children = c; }
	addEventListener(type, fn) { this.listeners[type] = fn; }
	focus() {}
	set innerHTML(html) { this.html = html; }
}

/* A <script src="search/NAME.js"> appended to the head: its file runs, or its onerror is called. */
function run(script) {
	const path = join(dir, script.src);
	setTimeout(() => existsSync(path) ? vm.runInThisContext(readFileSync(path, 'utf8'), { filename: path }) : script.onerror());
}

let ready = null;
const byId = { q: new Element('input'), 'search-status': new Element('p'), 'search-results': new Element('div'),
	'search-pager': new Element('div') };
byId.q.form = new Element('form');
globalThis.window = globalThis;
globalThis.history = { replaceState() {} };
globalThis.location = { search: '?q=' + encodeURIComponent(query), pathname: '/customers/index.html' };
globalThis.document = {
	head: new Element('head'),
	createElement: (tag) => new Element(tag),
	getElementById: (id) => byId[id] || null,
	addEventListener: (type, fn) => { if (type === 'DOMContentLoaded') ready = fn; },
};
vm.runInThisContext(readFileSync(new URL('../assets/search.js', import.meta.url), 'utf8'));
vm.runInThisContext(readFileSync(join(dir, 'search', 'info.js'), 'utf8'));
ready();

/* The text of the first cell of each row, once the status says the search is done. */
function names() {
	const table = byId['search-results'].children[0];
	if (!table) return [];
	return table.children[0].children.map((tr) => { const td = tr.children[0], a = td.children[0]; return a ? a.textContent : td.textContent; });
}
const started = Date.now();
(function wait() {
	if (!/match/.test(byId['search-status'].textContent) && Date.now() - started < 10000) return setTimeout(wait, 5);
	for (const n of names()) console.log(n);
})();
