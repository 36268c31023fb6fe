// run.mjs — Debian's Chromium, headless, driven by playwright-core: the site loads from disk
// and from a web server with a strict Content-Security-Policy, without console errors; the
// search finds a customer; axe-core finds no serious or critical violation.
// Usage: node run.mjs SITE_DIR SCREENSHOT_DIR QUERY EXPECTED_NAME
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve, extname, dirname } from 'node:path';
import { createRequire } from 'node:module';

const [siteArg, shotsArg, query, expected] = process.argv.slice(2);
const site = resolve(siteArg), shots = resolve(shotsArg);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'";
let failures = 0;

function fail(what) {
	failures++;
	console.log('FAIL: ' + what);
}

function serve() {
	const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png',
		'.csv': 'text/csv' };
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

/* Opens a page, failing on console errors, page errors and failed requests. */
async function open(browser, url, name, colorScheme = 'light') {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
	page.on('console', (m) => { if (m.type() === 'error') fail(`${name}: console error: ${m.text()}`); });
	page.on('pageerror', (e) => fail(`${name}: page error: ${e.message}`));
	page.on('requestfailed', (r) => fail(`${name}: request failed: ${r.url()}`));
	await page.goto(url, { waitUntil: 'load' });
	return page;
}

async function axe(page, name) {
	await page.addScriptTag({ path: axePath });
	const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], preload: false }));
	for (const v of result.violations)
		if (v.impact === 'serious' || v.impact === 'critical')
			fail(`${name}: axe ${v.impact}: ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0].html})`);
}

async function search(page, name) {
	await page.fill('#q', query);
	try {
		await page.waitForSelector(`#search-results tbody tr >> text=${expected}`, { timeout: 5000 });
	} catch {
		fail(`${name}: searching "${query}" did not show ${expected}: ` +
			await page.textContent('#search-status'));
	}
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});
const server = await serve();
const bases = { disk: 'file://' + site + '/', web: `http://127.0.0.1:${server.address().port}/` };
for (const [where, base] of Object.entries(bases)) {
	const dash = await open(browser, base + 'index.html', `${where} dashboard`);
	if (await dash.locator('figure.chart svg').count() < 6)
		fail(`${where} dashboard: fewer than six charts`);
	if (await dash.locator('article.kpi').count() !== 7)
		fail(`${where} dashboard: not seven KPI cards`);
	await dash.screenshot({ path: join(shots, `${where}-dashboard.png`), fullPage: true });
	if (where === 'disk') {
		await axe(dash, 'dashboard');
		const dark = await open(browser, base + 'index.html', 'dark dashboard', 'dark');
		await axe(dark, 'dark dashboard');
		await dark.screenshot({ path: join(shots, 'dark-dashboard.png'), fullPage: true });
	}
	const list = await open(browser, base + 'customers/index.html', `${where} customers`);
	await search(list, `${where} customers`);
	await list.screenshot({ path: join(shots, `${where}-search.png`), fullPage: true });
	const href = await list.getAttribute('#search-results tbody tr a', 'href');
	const customer = await open(browser, new URL(href, base + 'customers/index.html').href, `${where} customer page`);
	if (!(await customer.textContent('h1')).includes(expected))
		fail(`${where} customer page: the heading is not ${expected}`);
	await customer.screenshot({ path: join(shots, `${where}-customer.png`), fullPage: true });
	if (where === 'disk') {
		await axe(customer, 'customer page');
		await axe(list, 'customers');
		const quality = await open(browser, base + 'quality.html', 'quality');
		await axe(quality, 'quality page');
		await quality.screenshot({ path: join(shots, 'quality.png'), fullPage: true });
		const sorted = await open(browser, base + 'customers/index.html', 'sorting');
		await sorted.click('main table:not(#search-results table) thead th:last-child button');
		await sorted.click('main table:not(#search-results table) thead th:last-child button');
		if (await sorted.getAttribute('main table thead th:last-child', 'aria-sort') !== 'descending')
			fail('sorting: the header does not say how the table is sorted');
	}
}
await browser.close();
server.close();
console.log(`browser: ${failures} failures; screenshots in ${shots}`);
process.exit(failures ? 1 : 0);
