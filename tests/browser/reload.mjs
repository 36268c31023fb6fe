// reload.mjs — a page served by `c360 serve` reloads itself after a rebuild: Debian's Chromium
// opens URL, waits for the page to poll the build id, appends a paragraph TEXT to FILE (a
// template) and waits for the page to load again showing TEXT, without console errors. Then a
// tag no page has, appended: the failed rebuild's message shows over the page, and goes when
// the template is put back.
// Usage: node reload.mjs URL FILE TEXT
import { chromium } from 'playwright-core';
import { appendFile, readFile, writeFile } from 'node:fs/promises';

const [url, file, text] = process.argv.slice(2);
let failures = 0;

function fail(what) {
	failures++;
	console.log('FAIL: ' + what);
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text()}`); });
page.on('pageerror', (e) => fail(`page error: ${e.message}`));
const polled = page.waitForRequest((r) => r.url().endsWith('/__c360/build-id'), { timeout: 30000 });
await page.goto(url, { waitUntil: 'load' });
try {
	await polled;
	const reloaded = page.waitForEvent('load', { timeout: 60000 });
	await appendFile(file, `\n${text}\n`);
	await reloaded;
	if (!(await page.textContent('main')).includes(text))
		fail(`the reloaded page does not show "${text}"`);
} catch (e) {
	fail(`no reload after the template changed: ${e.message}`);
}
try {
	const good = await readFile(file);
	await appendFile(file, '\n{{nosuch_marker}}\n');
	const box = await page.waitForSelector('#c360-serve-failed', { timeout: 60000 });
	const said = await box.textContent();
	if (!said.includes('The rebuild failed') || !/:\d+:\d+: error: \{\{nosuch_marker\}\}/.test(said))
		fail(`the failed rebuild's box says: ${said.slice(0, 300)}`);
	await writeFile(file, good);
	await page.waitForSelector('#c360-serve-failed', { state: 'detached', timeout: 60000 });
} catch (e) {
	fail(`a failed rebuild, then one put right: ${e.message}`);
}
await browser.close();
console.log(`reload: ${failures} failures`);
process.exit(failures ? 1 : 0);
