// compare.mjs DIR DRIVER: each of csv-spectrum's DIR/csvs/NAME.csv read by c360's CSV reader
// (DRIVER, tests/csv/spectrum.c: its records as JSON arrays), made objects by its header row
// as the suite's do, and compared with DIR/json/NAME.json. One line a file ("pass NAME" or
// "fail NAME: ..."), then "csv-spectrum: N passed, N failed"; exit status 1 on a failure.
// The suite's one erratum: location_coordinates.json has a phone number (1234567890) its CSV
// does not have (2095257564); that field must be the CSV's own text instead.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const [dir, driver] = process.argv.slice(2);
const errata = { location_coordinates: { "Contact Phone Number": "2095257564" } };
let passed = 0, failed = 0;
for (const file of readdirSync(join(dir, "csvs")).filter((f) => f.endsWith(".csv")).sort()) {
	const name = file.slice(0, -4);
	let want = JSON.parse(readFileSync(join(dir, "json", name + ".json"), "utf8"));
	if (!Array.isArray(want)) want = [want];	// location_coordinates.json: one object, not a list
	const records = JSON.parse(execFileSync(driver, [join(dir, "csvs", file)], { encoding: "utf8" }));
	const [head, ...rows] = records;
	const got = rows.map((r) => Array.isArray(r) ? Object.fromEntries(head.map((h, i) => [h, r[i]])) : r);
	for (const [field, value] of Object.entries(errata[name] || {}))
		want = want.map((o) => ({ ...o, [field]: value }));
	if (isDeepStrictEqual(got, want)) {
		console.log(`pass ${name}`);
		passed++;
	} else {
		console.log(`fail ${name}: read ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
		failed++;
	}
}
console.log(`csv-spectrum: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
