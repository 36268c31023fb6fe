// bidi.mjs — the text around a value holding bidirectional controls keeps its order on the
// screen: in Debian's Chromium, for each FILE SELECTOR BEFORE AFTER, the first element SELECTOR
// matches that holds both is laid out with BEFORE before AFTER: left of it on its line, or on a
// line above (c360's own words after the value, which an override left open would reverse).
// Usage: node bidi.mjs SITE_DIR FILE SELECTOR BEFORE AFTER [FILE SELECTOR BEFORE AFTER ...]
// (FILE may end in ?QUERY: the page is opened with it, and SELECTOR waited for)
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [site, ...rest] = process.argv.slice(2);
let failures = 0;
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
for (let i = 0; i + 3 < rest.length; i += 4) {
	const [file, selector, before, after] = rest.slice(i, i + 4);
	const [path, query] = file.split('?');	// a page's address may have a query: view.html?id=...
	await page.goto(pathToFileURL(resolve(site, path)).href + (query === undefined ? '' : '?' + query), { waitUntil: 'load' });
	if (query !== undefined) await page.waitForFunction((s) => document.querySelector(s), selector);	// written by a script
	const x = await page.evaluate(([selector, before, after]) => {
		// where the first character of needle in el's text is on the screen
		function place(el, needle) {
			const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				const at = n.data.indexOf(needle);
				if (at < 0) continue;
				const r = document.createRange();
				r.setStart(n, at);
				r.setEnd(n, at + 1);
				const box = r.getBoundingClientRect();
				return { left: box.left, top: box.top, bottom: box.bottom };
			}
			return null;
		}
		const el = [...document.querySelectorAll(selector)].find((e) =>
			e.textContent.includes(before) && e.textContent.includes(after));
		return el ? [place(el, before), place(el, after)] : null;
	}, [selector, before, after]);
	if (!x || x[0] === null || x[1] === null) {
		failures++;
		console.log(`FAIL: ${file}: no ${selector} with "${before}" and "${after}"`);
	} else if (!(x[0].bottom <= x[1].top || (x[0].top < x[1].bottom && x[0].left < x[1].left))) {
		failures++;
		console.log(`FAIL: ${file}: "${before}" at ${JSON.stringify(x[0])} is not before "${after}" at ${JSON.stringify(x[1])}`);
	}
}
await browser.close();
console.log(`bidi: ${failures} failures`);
process.exit(failures ? 1 : 0);
