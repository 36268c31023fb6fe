// convert.mjs SPECDIR: the Mustache spec's core modules (SPECDIR/*.json, not the optional ~*.json)
// as records the C driver (tests/mustache/spec.c) reads, on stdout. Each case:
//   case <file> <name> data <value> partials <count> (<name> <template>)... template <text> expected <text>
// where a text is "s LEN\n" and LEN bytes; a value is a text (s), "i N\n" (a whole number),
// "f LEN\n" and its bytes (any other number, as JavaScript writes it), "b 0\n" or "b 1\n",
// "n\n" (null), "l N\n" and N values, or "o N\n" and N (text key, value) pairs.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const out = [];
const text = (s) => {
	const b = Buffer.from(String(s), "utf8");
	out.push(Buffer.from(`s ${b.length}\n`), b);
};
const word = (w) => out.push(Buffer.from(w + "\n"));
function value(v) {
	if (v === null || v === undefined) return word("n");
	if (typeof v === "boolean") return word(v ? "b 1" : "b 0");
	if (typeof v === "number") {
		if (Number.isSafeInteger(v)) return word(`i ${v}`);
		const b = Buffer.from(String(v));
		out.push(Buffer.from(`f ${b.length}\n`), b);
		return;
	}
	if (typeof v === "string") return text(v);
	if (Array.isArray(v)) {
		word(`l ${v.length}`);
		v.forEach(value);
		return;
	}
	const keys = Object.keys(v);
	word(`o ${keys.length}`);
	for (const k of keys) {
		text(k);
		value(v[k]);
	}
}

const files = readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("~")).sort();
if (!files.length) {
	console.error(`convert.mjs: no spec files (*.json) in ${dir}`);
	process.exit(1);
}
for (const f of files) {
	const spec = JSON.parse(readFileSync(join(dir, f), "utf8"));
	for (const t of spec.tests) {
		word("case");
		text(f.replace(/\.json$/, ""));
		text(t.name);
		value(t.data);
		const partials = Object.entries(t.partials || {});
		word(`p ${partials.length}`);
		for (const [name, tpl] of partials) {
			text(name);
			text(tpl);
		}
		text(t.template);
		text(t.expected);
	}
}
process.stdout.write(Buffer.concat(out));
