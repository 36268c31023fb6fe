// run.mjs — Debian's Chromium, headless, driven by playwright-core. Every page type of a site,
// from disk at 1280 and 390 px wide, light and dark: no horizontal overflow (and at 1280 no table
// scrolling sideways in its card, no date broken), a cell without a value shows a dash read "none",
// axe-core finds no violation, a screenshot each. On the dashboard: hover titles on every chart, the click-through
// targets (a segment bar, the churn-risk and open-tickets cards) open their pages. The search finds
// a customer, from the header of any page too, and ?q= restores it; sorting, focus rings, phones'
// one-row tables, print styles, and a customer's summary strip under WCAG 1.4.12's text spacing.
// The same pages from a web server with a strict Content-Security-Policy, without console errors,
// failed requests or page errors. A site of
// packed customer pages: its viewer shows the customer (the HTML of its page in a files build,
// C360_FILES_SITE, when given), and says so when the id is unknown; a changed #id moves the focus to
// the new customer's heading.
// Usage: node run.mjs SITE_DIR SCREENSHOT_DIR QUERY EXPECTED_NAME [--quick]
//        node run.mjs SITE_DIR --find QUERY NAME [QUERY NAME ...]
//        node run.mjs SITE_DIR --ranking EXACT_EMAIL NAME_QUERY MANY_QUERY   (search ranking and paging)
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve, extname } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [siteArg, shotsArg, query, expected, extra] = process.argv.slice(2);
const site = resolve(siteArg);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'";
const widths = [1280, 390], schemes = ['light', 'dark'];
let failures = 0;

function fail(what) {
	failures++;
	console.log('FAIL: ' + what);
}

function check(ok, what) {
	if (!ok) fail(what);
}

function serve() {
	const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png',
		'.csv': 'text/csv', '.svg': 'image/svg+xml' };
	const server = createServer(async (req, res) => {
		const path = join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
		if (!path.startsWith(site) || !existsSync(path)) {
			res.writeHead(404);
			return res.end();
		}
		res.writeHead(200, { 'Content-Type': types[extname(path)] || 'application/octet-stream',
			'Content-Security-Policy': csp });
		res.end(await readFile(path));
	});
	return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/* A page that fails on console errors, page errors and failed requests, naming what it shows. */
async function newPage(browser, label, width = 1366, colorScheme = 'light') {
	const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
	page.on('console', (m) => { if (m.type() === 'error') fail(`${label.name}: console error: ${m.text()}`); });
	page.on('pageerror', (e) => fail(`${label.name}: page error: ${e.message}`));
	page.on('requestfailed', (r) => fail(`${label.name}: request failed: ${r.url()}`));
	return page;
}

async function open(browser, url, name, width = 1366, colorScheme = 'light') {
	const page = await newPage(browser, { name }, width, colorScheme);
	await page.goto(url, { waitUntil: 'load' });
	return page;
}

async function axe(page, name) {
	await page.addScriptTag({ path: axePath });
	const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], preload: false }));
	for (const v of result.violations)
		fail(`${name}: axe ${v.impact}: ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0].html})`);
}

/* A search box's placeholder is 4.5:1 at least on the box (the header's box has no other visible
 * name): axe does not look at placeholders. */
async function placeholders(page, name) {
	const low = await page.$$eval('input[placeholder]', (inputs) => {
		const lum = (c) => {
			const [r, g, b] = c.match(/[0-9.]+/g).slice(0, 3).map((v) => {
				v /= 255;
				return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
			});
			return 0.2126 * r + 0.7152 * g + 0.0722 * b;
		};
		return inputs.map((i) => {
			const fg = lum(getComputedStyle(i, '::placeholder').color), bg = lum(getComputedStyle(i).backgroundColor);
			return [i.id, (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)];
		}).filter(([, ratio]) => ratio < 4.5).map(([id, ratio]) => `#${id} ${ratio.toFixed(2)}:1`);
	});
	check(low.length === 0, `${name}: placeholders under 4.5:1: ${low.join(', ')}`);
}

async function noOverflow(page, name) {
	const [scroll, client] = await page.evaluate(() =>
		[document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	check(scroll <= client, `${name}: ${scroll} px wide in a ${client} px window`);
}

/* On a desktop (wide) no table of the page body scrolls sideways inside its card, whatever its
 * values (a 90-character e-mail, a Welsh town: they wrap inside their cell), and no ISO date or
 * moment is on two lines (1980-01-02 broke at its hyphens in a squeezed column); at any width a
 * cell without a value shows the dash, read out as "none". */
async function tables(page, name, wide) {
	const [scrolled, broken, bare] = await page.evaluate(() => {
		const body = Array.from(document.querySelectorAll('main table')).filter((t) => !t.closest('figure'));
		const cells = body.flatMap((t) => Array.from(t.querySelectorAll('td')));
		const lines = (td) => {
			const range = document.createRange();
			range.selectNodeContents(td);
			return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
		};
		return [body.filter((t) => t.scrollWidth > t.clientWidth + 1).map((t) => `${t.scrollWidth}/${t.clientWidth} px ` +
				(t.tHead ? t.tHead.textContent.replace(/\s+/g, ' ').trim().slice(0, 40) : '')),
			cells.filter((td) => /^\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?$/.test(td.textContent.trim()) && lines(td) > 1)
				.map((td) => td.textContent.trim()),
			cells.filter((td) => td.textContent.trim() === '' && td.getClientRects().length &&
				!getComputedStyle(td, '::after').content.startsWith('"–"')).map((td) => td.dataset.label || td.cellIndex)];
	});
	check(!wide || scrolled.length === 0, `${name}: tables scroll sideways: ${scrolled.join('; ')}`);
	check(!wide || broken.length === 0, `${name}: dates on two lines: ${broken.slice(0, 5).join(', ')}`);
	check(bare.length === 0, `${name}: ${bare.length} cells without a value show nothing (${bare.slice(0, 5).join(', ')})`);
}

async function results(page) {
	return page.$$eval('#search-results tbody tr', (trs) => trs.map((tr) => ({
		name: tr.cells[0].textContent, id: tr.cells[1].textContent, email: tr.cells[2].textContent,
		value: Number(tr.cells[6].textContent.replace(/[^0-9.-]/g, '')) })));
}

async function searched(page, name, want) {
	try {
		await page.waitForSelector(`#search-results tbody tr >> text=${want}`, { timeout: 30000 });
		return true;
	} catch {
		fail(`${name}: no ${want} among the results: ` + await page.textContent('#search-status'));
		return false;
	}
}

/* The site's page types, by the links that lead to them. */
async function pageTypes(browser, base) {
	const list = await open(browser, base + 'customers/index.html?q=' + encodeURIComponent(query), 'customers');
	const types = { dashboard: 'index.html', customers: 'customers/index.html?q=' + encodeURIComponent(query),
		quality: 'quality.html', segments: 'segments/index.html', churn: 'churn-risk.html',
		'open-tickets': 'open-tickets.html' };
	if (await searched(list, 'customers', expected))
		types.customer = new URL(await list.getAttribute('#search-results tbody tr a', 'href'), list.url()).href
			.slice(base.length);
	if (types.customer && types.customer.includes('view.html')) {	/* customer_pages = packed */
		types['unknown-customer'] = 'customers/view.html?id=no%3Csuch%22one';
		/* an id of one word longer than the page wraps: no page wider than the screen (helper 117) */
		types['unknown-long-id'] = 'customers/view.html?id=' + 'x'.repeat(3000);
	}
	await list.close();
	const segs = await open(browser, base + 'segments/index.html', 'segments');
	types.segment = 'segments/' + await segs.getAttribute('main table tbody tr a', 'href');
	await segs.close();
	return types;
}

/* The packed pages' viewer has put a customer, or what went wrong, in place of its "Customer". */
async function shown(page, name) {
	try {
		await page.waitForFunction(() => document.querySelector('#customer-view h1').textContent !== 'Customer',
			null, { timeout: 30000 });
	} catch {
		fail(`${name}: the viewer showed nothing`);
	}
}

/* What the viewer shows is what the customer's page shows in a build of the same data in files
 * mode (C360_FILES_SITE), both as the browser has them (tables made sortable), the files page's
 * links from customers/XX/ (../../) made from customers/ (../). */
async function sameAsFiles(browser, page, where) {
	const files = process.env.C360_FILES_SITE;
	if (!files) return;
	const id = new URL(page.url()).searchParams.get('id'), dir = join(resolve(files), 'customers');
	const sub = readdirSync(dir).find((d) => /^[0-9a-f]{2}$/.test(d) && existsSync(join(dir, d, id + '.html')));
	check(sub, `${where} viewer: ${files} has no page of ${id}`);
	if (!sub) return;
	const other = await open(browser, pathToFileURL(join(dir, sub, id + '.html')).href, `${where} files page of ${id}`);
	const want = (await other.innerHTML('main')).trim().replace(/\.\.\/\.\.\//g, '../');
	await other.close();
	const shown = (await page.innerHTML('#customer-view')).trim();
	check(shown === want, `${where} viewer: not the files page's HTML: ${shown.slice(0, 200)} / ${want.slice(0, 200)}`);
}

/* The viewer (customer_pages = packed): the customer the address names, its name in the title and
 * its tables sortable; an unknown id, or none, says so with the id as text. */
async function viewer(browser, base, where, types) {
	const page = await open(browser, base + types.customer, `${where} viewer`);
	await shown(page, `${where} viewer`);
	check(await page.textContent('h1') === expected, `${where} viewer: the page shows ${await page.textContent('h1')}`);
	check((await page.title()).startsWith(expected + ' · '), `${where} viewer: the title is ${await page.title()}`);
	check(await page.locator('main table thead th button').count() > 0, `${where} viewer: its tables do not sort`);
	await sameAsFiles(browser, page, where);
	/* the same customer as view.html#ID; #main (the skip link's place) names no customer */
	await page.goto(base + types.customer.replace('view.html?id=', 'view.html#'), { waitUntil: 'load' });
	await shown(page, `${where} viewer #id`);
	check(await page.textContent('h1') === expected, `${where} viewer #id: the page shows ${await page.textContent('h1')}`);
	check(await page.locator('#customer-view h1:focus').count() === 0, `${where} viewer #id: the heading took the focus on load`);
	/* ... another #id in the same document (typed, or back and forward) shows that one; the skip
	   link's #main keeps the customer */
	/* (a locator waits without eval, which the server's policy forbids the page) */
	const heading = (text) => page.locator('#customer-view h1').filter({ hasText: text }).waitFor({ timeout: 5000 });
	/* ... and tells a screen reader: the new page's heading has the focus, the title is its page's */
	const focused = (text, what) => page.locator('#customer-view h1:focus').filter({ hasText: text })
		.waitFor({ timeout: 5000 }).catch(() => fail(`${where} viewer ${what}: the heading ${text} has not the focus`));
	await page.goto(base + 'customers/view.html#no%3Csuch%22one');
	await heading('Unknown customer').catch(() => fail(`${where} viewer #id to #other: the page still shows ${expected}`));
	await focused('Unknown customer', '#id to #other');
	check((await page.title()).startsWith('Unknown customer · '), `${where} viewer #id to #other: the title is ${await page.title()}`);
	await page.goBack();
	await heading(expected).catch(() => fail(`${where} viewer back to #id: the page does not show ${expected}`));
	await focused(expected, 'back to #id');
	check((await page.title()).startsWith(expected + ' · '), `${where} viewer back to #id: the title is ${await page.title()}`);
	await page.focus('a.skip');
	await page.keyboard.press('Enter');
	check(await page.textContent('h1') === expected && page.url().endsWith('#main'),
		`${where} viewer #id, the skip link: the page shows ${await page.textContent('h1')}`);
	/* ... and as ?ID= with blanks around it, and written as a float if it is an integer: c360 reads
	   ids so (helper 117: "Unknown customer") */
	const id = new URL(base + types.customer).searchParams.get('id');
	for (const asked of [' ' + id + '\u00a0', ...(/^[0-9]+$/.test(id) ? [id + '.0'] : [])]) {
		await page.goto(base + 'customers/view.html?ID=' + encodeURIComponent(asked), { waitUntil: 'load' });
		await shown(page, `${where} viewer ?ID=${asked}`);
		check(await page.textContent('h1') === expected, `${where} viewer ?ID=${asked}: the page shows ${await page.textContent('h1')}`);
	}
	for (const [path, h1, text] of [[types['unknown-customer'], 'Unknown customer', 'no<such"one'],
		['customers/view.html#main', 'No customer given', 'view.html?id='],
		['customers/view.html', 'No customer given', 'view.html?id=']]) {
		await page.goto(base + path, { waitUntil: 'load' });
		await shown(page, `${where} viewer ${path}`);
		check(await page.textContent('h1') === h1 && (await page.textContent('main p')).includes(text),
			`${where} viewer ${path}: ${await page.textContent('main')}`);
		check(await page.locator('main a[href="index.html"]').count() === 1, `${where} viewer ${path}: no way to the search`);
	}
	await page.close();
}

/* WCAG 1.4.12's text spacing (line height 1.5, letters 0.12em, words 0.16em, paragraphs 2em
 * apart) on a customer's page, wide and narrow: nothing of its summary strip (a date, which does
 * not break inside) runs past its box. */
async function textSpacing(browser, base, types) {
	for (const width of [1280, 390]) {
		const name = `text spacing ${width}px`, page = await open(browser, base + types.customer, name, width);
		if (types.customer.includes('view.html')) await shown(page, name);
		await page.addStyleTag({ content: '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
			'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }' });
		/* each box's content, inside its padding: its text, and each element's own */
		const over = await page.$$eval('.strip li', (boxes) => boxes.flatMap((li) => {
			const b = li.getBoundingClientRect(), cs = getComputedStyle(li), px = (v) => parseFloat(v) || 0;
			const right = b.right - px(cs.borderRightWidth) - px(cs.paddingRight), left = b.left + px(cs.borderLeftWidth) +
				px(cs.paddingLeft), bottom = b.bottom - px(cs.borderBottomWidth) - px(cs.paddingBottom);
			return [li, ...li.querySelectorAll('*')].filter((e) => {
				const r = e.getBoundingClientRect();
				return e.scrollWidth > e.clientWidth + 1 || (e !== li && (r.right > right + 0.5 || r.left < left - 0.5 ||
					r.bottom > bottom + 0.5));
			}).map((e) => `${e.outerHTML.slice(0, 80)} (${Math.round(e.getBoundingClientRect().right - right)} px past)`);
		}));
		check(await page.locator('.strip li').count() > 0, `${name}: no summary strip`);
		check(over.length === 0, `${name}: the summary strip overflows: ${over.join('; ')}`);
		await page.close();
	}
}

/* Every page type at both widths, light and dark (quick: wide and light, narrow and dark): no
 * overflow, axe on the wide ones, a screenshot each unless quick. */
async function everyPage(browser, base, types, shots, quick) {
	for (const width of widths)
		for (const scheme of schemes) {
			if (quick && (width === widths[0]) !== (scheme === 'light'))
				continue;
			const label = { name: '' }, page = await newPage(browser, label, width, scheme);
			for (const [type, path] of Object.entries(types)) {
				label.name = `${type} ${width} px ${scheme}`;
				await page.goto(base + path, { waitUntil: 'load' });
				if (type === 'customers') await searched(page, label.name, expected);
				if (path.includes('view.html')) await shown(page, label.name);
				await noOverflow(page, label.name);
				await tables(page, label.name, width === widths[0]);
				await placeholders(page, label.name);
				if (width === widths[0]) await axe(page, label.name);
				if (!quick) await page.screenshot({ path: join(shots, `${type}-${width}-${scheme}.png`), fullPage: true });
			}
			await page.close();
		}
}

/* The weekly e-mail's preview (weekly/email.html, from disk: its styles are inline, as an e-mail's
 * are, so not from the server with the strict policy): at a phone's width no table scrolls (its
 * columns there are the ones that fit), axe finds no violation at either width. */
async function edition(browser, base, shots, quick) {
	if (!existsSync(join(site, 'weekly/email.html'))) return;
	for (const width of widths) {
		const name = `e-mail ${width} px`, page = await open(browser, base + 'weekly/email.html', name, width);
		await noOverflow(page, name);
		const wide = await page.$$eval('table', (ts) => ts.filter((t) => t.scrollWidth > t.parentElement.clientWidth).length);
		check(width !== widths[1] || wide === 0, `${name}: ${wide} tables wider than the phone`);
		await axe(page, name);
		if (!quick) await page.screenshot({ path: join(shots, `email-${width}.png`), fullPage: true });
		await page.close();
	}
}

/* Hover titles on every chart and sparkline; the segment bars, churn-risk and open-tickets cards lead on. */
async function dashboard(browser, base, where) {
	const dash = await open(browser, base + 'index.html', `${where} dashboard`);
	check(await dash.locator('figure.chart').count() >= 6, `${where} dashboard: fewer than six charts`);
	check(await dash.locator('article.kpi').count() === 8, `${where} dashboard: not eight KPI cards`);
	for (const card of await dash.locator('article.kpi').all()) {	/* a card without a figure: no sparkline */
		const none = (await card.locator('.value').textContent()).trim() === '–';
		const spark = await card.locator('svg.spark').count(), tips = await card.locator('svg.spark circle title').count();
		check(none ? spark === 0 : tips > 0, `${where} dashboard: ${await card.locator('h2').textContent()} has ` +
			(none ? 'a sparkline without figures' : 'no sparkline with hover titles'));
	}
	for (const fig of await dash.locator('figure.chart').all()) {
		const id = await fig.getAttribute('id'), empty = (await fig.textContent()).includes('no data');
		check(empty || await fig.locator('svg.wide .hit title').count() > 0, `${where} dashboard: ${id} has no hover titles`);
	}
	const bars = await dash.locator('#segments svg.wide a').count();
	check(bars > 0, `${where} dashboard: the segment bars lead nowhere`);
	if (bars) {
		const label = await dash.locator('#segments svg.wide a').first().getAttribute('aria-label');
		await dash.locator('#segments svg.wide a').first().click();
		await dash.waitForLoadState('load');
		const h1 = await dash.textContent('h1');
		check(label.startsWith(h1 + ':'), `${where} dashboard: a segment bar "${label}" opened "${h1}"`);
	}
	for (const [href, title] of [['churn-risk.html', 'Churn risk'], ['open-tickets.html', 'Customers with open tickets']]) {
		await dash.goto(base + 'index.html');
		const link = dash.locator(`article.kpi .more a[href$="${href}"]`);
		const n = Number((await link.textContent()).replace(/[^0-9]/g, ''));
		await link.click();
		await dash.waitForLoadState('load');
		check(await dash.textContent('h1') === title, `${where} dashboard: ${href} is not "${title}"`);
		check(await dash.locator('main table tbody tr').count() === Math.min(n, 500),
			`${where} ${href}: not the ${n} customers the card names`);
	}
	await dash.close();
}

/* The header's search box on any page lands on the results, in the address (?q=) to share. */
async function search(browser, base, where) {
	const page = await open(browser, base + 'quality.html', `${where} header search`);
	await page.fill('#find-q', query);
	await page.press('#find-q', 'Enter');
	await page.waitForLoadState('load');
	if (await searched(page, `${where} header search`, expected)) {
		check(new URL(page.url()).searchParams.get('q') === query, `${where} search: the query is not in the address`);
		check(await page.inputValue('#q') === query, `${where} search: ?q= did not fill the box`);
	}
	await page.close();
}

/* The cells of a one-column table of values added to the page, once sorted ascending by its
 * heading, " | " between them. */
function sortedCells(page, values) {
	return page.evaluate((values) => {
		const t = document.createElement('table');
		t.innerHTML = '<thead><tr><th>Value</th></tr></thead><tbody>' +
			values.map((n) => `<tr><td>${n}</td></tr>`).join('') + '</tbody>';
		document.querySelector('main').appendChild(t);
		window.C360.prepareTables(t.parentElement);
		t.querySelector('th button').click();
		const cells = Array.from(t.tBodies[0].rows, (r) => r.cells[0].textContent);
		t.remove();
		return cells.join(' | ');
	}, values);
}

/* Each cell of the page body without a value is read "none" by a screen reader, as the dash it
 * shows says (Chromium's own accessibility tree; cells: its cells' names if read already). */
async function readAsNone(page, name, cells) {
	if (!cells) {
		const cdp = await page.context().newCDPSession(page);
		cells = (await cdp.send('Accessibility.getFullAXTree')).nodes.filter((x) => x.role && x.role.value === 'cell')
			.map((x) => x.name && x.name.value);
	}
	const empty = await page.$$eval('main table td', (tds) => tds.filter((td) => !td.closest('figure') &&
		td.textContent.trim() === '').length);
	const none = cells.filter((n) => n === 'none').length;
	check(none === empty, `${name}: ${empty} cells without a value, ${none} read "none"`);
}

/* Sorting with the keyboard's focus ring visible; a one-row table is a list on a phone; in print
 * the headings keep with what follows and no control shows. */
async function controls(browser, base, types) {
	const list = await open(browser, base + 'customers/index.html', 'sorting');
	const button = list.locator('main > table thead th:last-child button');
	await button.focus();
	await list.keyboard.press('Enter');
	check(await list.getAttribute('main > table thead th:last-child', 'aria-sort') === 'ascending',
		'sorting: the heading does not say how the table is sorted');
	check(await button.evaluate((b) => getComputedStyle(b).outlineStyle) !== 'none', 'sorting: no focus ring');
	/* text sorts as a reader orders it: an accent after its letter, numbers within text by value */
	const order = await sortedCells(list, ['Zoe', 'Item 10', 'Émile', 'Item 9', 'emma']);
	check(order === 'Émile | emma | Item 9 | Item 10 | Zoe', `sorting: text in the wrong order (${order})`);
	/* figures by value with a configuration's separators too (decimal_separator = ",": 1.234,56) */
	const figures = await sortedCells(list, ['€12.000,00', '–', '€99,50', '€1.234,56', '-€5,00', "1'000.5"]);
	check(figures === "-€5,00 | €99,50 | 1'000.5 | €1.234,56 | €12.000,00 | –",
		`sorting: figures in the wrong order (${figures})`);
	/* ... with a currency of more than four characters before each (currency = "SFr. ") */
	const francs = await sortedCells(list, ['SFr. 1,200.00', 'SFr. 99.50', '-SFr. 5.00', 'SFr. 12,000.00', '–']);
	check(francs === '-SFr. 5.00 | SFr. 99.50 | SFr. 1,200.00 | SFr. 12,000.00 | –', `sorting: a long currency's figures in the wrong order (${francs})`);
	/* ... and days (a template's {{date|day}}) as text, not as the figures 302024 and 42024 */
	const days = await sortedCells(list, ['Mar 4, 2024', 'Jun 30, 2024', 'Dec 1, 2023', '1’234.5', '99']);
	check(days === '99 | 1’234.5 | Dec 1, 2023 | Jun 30, 2024 | Mar 4, 2024', `sorting: days or figures in the wrong order (${days})`);
	/* ... and the script still works under a lang the browser does not know (a theme's en_US) */
	const badLang = await list.evaluate(() => new Promise((done) => {
		document.documentElement.lang = 'en_US';
		delete window.C360;
		const s = document.createElement('script');
		s.src = document.querySelector('script[src$="sort.js"]').src;
		s.onload = () => done(typeof (window.C360 && window.C360.prepareTables));
		s.onerror = () => done('not loaded');
		document.head.appendChild(s);
	}));
	check(badLang === 'function', `sorting: sort.js fails under lang="en_US" (${badLang})`);
	await list.emulateMedia({ media: 'print' });
	check(await button.evaluate((b) => getComputedStyle(b, '::after').content) === 'none', 'print: sort controls show');
	check(await list.evaluate(() => getComputedStyle(document.querySelector('h1')).breakAfter) === 'avoid',
		'print: a heading may end a page');
	check(await list.evaluate(() => getComputedStyle(document.querySelector('form.search')).display) === 'none',
		'print: the search box shows');
	await list.close();
	if (!types.customer) return;
	const phone = await open(browser, base + types.customer, 'customer on a phone', 390);
	const label = await phone.evaluate(() => {
		const td = document.querySelector('main table.one-row td');
		return td ? getComputedStyle(td, '::before').content : 'none';
	});
	check(label === '"E-mail"', `customer on a phone: the one-row table is not a list (${label})`);
	await phone.close();
	/* ... on a tablet too (its eight columns would break a date at a hyphen), a table on a wide screen */
	for (const [width, want] of [[768, '"E-mail"'], [1366, 'none']]) {
		const page = await open(browser, base + types.customer, `customer at ${width}`, width);
		const got = await page.evaluate(() => getComputedStyle(document.querySelector('main table.one-row td'), '::before').content);
		check(got === want, `customer at ${width}: the one-row table's labels are ${got}, not ${want}`);
		await page.close();
	}
	/* the dashboard's figures each on one line and inside their card, whatever the cards' width
	 * (a large one put in each: 98 M with its cents and a currency code); printed from a dark
	 * screen, the light colours (the charts' too) */
	for (const width of [1040, 1366, 1400, 800, 700, 390, 320]) {
		const page = await open(browser, base + 'index.html', `figures at ${width}`, width);
		const broken = await page.evaluate(() => Array.from(document.querySelectorAll('.kpi .value'))
			.map((v) => { v.textContent = 'EUR 98,450,199.38'; return v; })
			.filter((v) => v.getClientRects().length !== 1 || v.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(v).fontSize) ||
				v.scrollWidth > v.parentElement.clientWidth)
			.map((v) => v.textContent));
		check(broken.length === 0, `dashboard at ${width}: figures on two lines: ${broken.join(', ')}`);
		await page.close();
	}
	/* the charts' data tables opened on a phone: whole, not scrolled (the quality chart's three
	 * columns); the quality page's sample rows too, their values or row as read wrapped (a value
	 * was cut off at the card's edge: "payment_status Charg") */
	for (const path of ['quality.html', 'index.html']) {
		const page = await open(browser, base + path, `${path} data tables at 390`, 390);
		const wide = await page.evaluate(() => {
			document.querySelectorAll('details.chart-data').forEach((d) => { d.open = true; });
			return Array.from(document.querySelectorAll('details.chart-data table, section.source table'))
				.filter((t) => t.scrollWidth > t.clientWidth).map((t) => `${t.scrollWidth}/${t.clientWidth}`);
		});
		check(wide.length === 0, `${path} at 390: data tables wider than their box: ${wide.join(' ')}`);
		await page.close();
	}
	const printed = await open(browser, base + 'index.html', 'print from dark');
	await printed.emulateMedia({ media: 'print', colorScheme: 'dark' });
	const colours = await printed.evaluate(() => ['--s0', '--bg', '--grid'].map((v) =>
		getComputedStyle(document.documentElement).getPropertyValue(v).trim()).join(' '));
	check(colours === '#0072b2 #fff #e4e6ea', `print from a dark screen: the colours are ${colours}`);
	/* printed, the charts two a row, each the phone's drawing: the dashboard on three A4 pages,
	 * not five with a page 40 % empty (helper 117) */
	const grid = await printed.evaluate(() => [getComputedStyle(document.querySelector('.charts')).gridTemplateColumns.split(' ').length,
		getComputedStyle(document.querySelector('figure.chart svg.narrow')).display]);
	check(grid[0] === 2 && grid[1] === 'block', `print: the charts are not two a row in their narrow drawing (${grid})`);
	const pages = ((await printed.pdf({ format: 'A4' })).toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
	check(pages > 0 && pages <= 3, `print: the dashboard takes ${pages} A4 pages`);
	await printed.close();
	/* a table of four columns or more is a card a row on a phone, each value labelled, its
	 * headings still the buttons that sort the cards */
	const cards = await open(browser, base + 'customers/index.html', 'cards on a phone', 390);
	const card = await cards.evaluate(() => {
		const table = document.querySelector('main > table.cards'), td = table && table.querySelector('tbody td:nth-child(2)');
		return td ? [getComputedStyle(td, '::before').content, getComputedStyle(td.parentElement).display,
			table.tHead.rows[0].cells[1].textContent] : [];
	});
	check(card.length && card[0] === JSON.stringify(card[2].replace(/\s*↕$/, '').trim()) + ' / ""' && card[1] === 'block',
		`customers on a phone: the table's rows are not labelled cards, their labels read out (${card})`);
	/* ... a label without a value (no e-mail) shows the dash the customer's page shows, not nothing */
	const bare = await cards.$$eval('main > table.cards tbody td', (tds) => tds.filter((td) => !td.textContent.trim() &&
		!getComputedStyle(td, '::after').content.startsWith('"–"')).map((td) => td.dataset.label));
	check(bare.length === 0, `customers on a phone: labels without a value: ${bare.join(', ')}`);
	/* ... read once by a screen reader: a cell's name is its value, its column heading says the
	 * rest (Chromium's own accessibility tree) */
	const cdp = await cards.context().newCDPSession(cards);
	const cells = (await cdp.send('Accessibility.getFullAXTree')).nodes.filter((x) => x.role && x.role.value === 'cell')
		.map((x) => x.name && x.name.value);
	check(cells.length > 0 && cells[1] === await cards.textContent('main > table.cards tbody td:nth-child(2)'),
		`customers on a phone: a card's value is read with its label (${cells.slice(0, 3)})`);
	await readAsNone(cards, 'customers on a phone', cells);
	const desk = await open(browser, base + 'customers/index.html', 'customers at 1280', 1280);
	await readAsNone(desk, 'customers at 1280');
	await desk.close();
	/* one search on the search's page: the header's box is left out there */
	check(await cards.locator('[role=search]').count() === 1, 'customers/index.html: two searches');
	await cards.locator('main > table.cards thead th:last-child button').click();
	check(await cards.getAttribute('main > table.cards thead th:last-child', 'aria-sort') === 'ascending',
		'customers on a phone: the cards do not sort');
	await noOverflow(cards, 'customers on a phone');
	await cards.close();
}

/* Results rank a whole e-mail first, then names starting with the query, then the rest, each by
 * lifetime value; pages of 25 come back from the address. */
async function ranking(browser, base, exact, nameQuery, many) {
	const page = await open(browser, base + 'customers/index.html?q=' + encodeURIComponent(exact), 'ranking');
	await page.waitForSelector('#search-results tbody tr');
	let rows = await results(page);
	check(rows.length > 1 && rows[0].email === exact, `ranking: ${exact} is not first of several: ${JSON.stringify(rows[0])}`);
	await page.goto(base + 'customers/index.html?q=' + encodeURIComponent(nameQuery));
	await page.waitForSelector('#search-results tbody tr');
	rows = await results(page);
	const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
	const cls = rows.map((r) => (fold(r.name).startsWith(nameQuery) ? 1 : 2));
	check(cls.includes(1) && cls.includes(2), `ranking: "${nameQuery}" does not find both kinds: ${cls}`);
	for (let i = 1; i < rows.length; i++)
		check(cls[i - 1] < cls[i] || (cls[i - 1] === cls[i] && rows[i - 1].value >= rows[i].value),
			`ranking: "${nameQuery}" row ${i + 1} (${rows[i].name}) comes after ${rows[i - 1].name}`);
	await page.goto(base + 'customers/index.html?q=' + encodeURIComponent(many));
	await page.waitForSelector('#search-results tbody tr');
	const first = await results(page);
	check(first.length === 25 && /1 to 25 shown/.test(await page.textContent('#search-status')),
		`paging: not 25 on the first page: ${await page.textContent('#search-status')}`);
	await page.click('#search-pager button:has-text("Next")');
	await page.waitForFunction(() => /26 to/.test(document.getElementById('search-status').textContent));
	const second = await results(page);
	check(new URL(page.url()).searchParams.get('page') === '2', 'paging: the page is not in the address');
	check(second.length > 0 && second[0].id !== first[0].id && first.at(-1).value >= second[0].value,
		'paging: the second page does not go on from the first');
	await page.goto(page.url());
	await page.waitForSelector('#search-results tbody tr');
	check(JSON.stringify(await results(page)) === JSON.stringify(second), 'paging: the address does not restore page 2');
	await page.goto(base + 'customers/index.html?q=qzx');	/* no word file starts so: nothing asked for */
	await page.waitForFunction(() => /No customer/.test(document.getElementById('search-status').textContent));
	check(!/two letters/.test(await page.textContent('#search-status')), 'a word of three letters: told to type two');
	await page.goto(base + 'customers/index.html?q=q');	/* a word of one letter is no word looked for: said */
	await page.waitForFunction(() => /No customer/.test(document.getElementById('search-status').textContent));
	check(/from two letters on/.test(await page.textContent('#search-status')),
		`one letter: ${await page.textContent('#search-status')}`);
	await page.close();
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});
const server = await serve();
const bases = { disk: 'file://' + site + '/', web: `http://127.0.0.1:${server.address().port}/` };
if (shotsArg === '--ranking') {
	for (const base of Object.values(bases))
		await ranking(browser, base, query, expected, extra);
} else if (shotsArg === '--find') {	/* QUERY NAME [!NAME] ...: each query finds the first customer, not the second */
	const args = process.argv.slice(4);
	for (let i = 0; i + 1 < args.length; i += 2) {
		const q = args[i], page = await open(browser, bases.disk + 'customers/index.html?q=' + encodeURIComponent(q), `find ${q}`);
		if (await searched(page, `find ${q}`, args[i + 1]) && i + 2 < args.length && args[i + 2].startsWith('!')) {
			const names = (await results(page)).map((r) => r.name);
			check(!names.includes(args[i + 2].slice(1)), `find ${q}: ${args[i + 2].slice(1)} among ${names.join(', ')}`);
		}
		i += i + 2 < args.length && args[i + 2].startsWith('!') ? 1 : 0;
		await page.close();
	}
} else {
	const shots = resolve(shotsArg);
	mkdirSync(shots, { recursive: true });
	const quick = extra === '--quick';
	const types = await pageTypes(browser, bases.disk);
	await everyPage(browser, bases.disk, types, shots, quick);
	await edition(browser, bases.disk, shots, quick);
	await controls(browser, bases.disk, types);
	if (types.customer) await textSpacing(browser, bases.disk, types);	/* the style added: no server's policy */
	for (const [where, base] of Object.entries(bases)) {
		await dashboard(browser, base, where);
		await search(browser, base, where);
		if (types['unknown-customer']) await viewer(browser, base, where, types);
	}
	const label = { name: '' }, web = await newPage(browser, label);
	for (const [type, path] of Object.entries(types)) {
		label.name = `web ${type}`;
		await web.goto(bases.web + path, { waitUntil: 'load' });
	}
	await web.close();
}
await browser.close();
server.close();
console.log(`browser: ${failures} failures${shotsArg.startsWith('--') ? '' : '; screenshots in ' + resolve(shotsArg)}`);
process.exit(failures ? 1 : 0);
