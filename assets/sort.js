/* sort.js — tables in the page body sort by any column when its heading is selected; a table of
 * one row gets its headings on its cells, so a phone can show it as a list of labels and values;
 * a date's cell and a long word's are marked, so style.css keeps the one whole and wraps the other. */
(function () {
	'use strict';
	var C360 = window.C360 = window.C360 || {};

	/* A cell as a number where it reads as one (1,234.56, -€20.00, 28.57%, +3 pts, and with the
	 * separators a configuration sets: 1.234,56, 1 234.56, 1'234.56), its column's prefix taken
	 * off (columnPrefix), else as text; an empty cell or a dash sorts last either way. c360
	 * writes a figure's decimals two at most and groups thousands three: a point or comma before
	 * one or two digits at the end is the decimal one, and the digits before are grouped by three
	 * or not at all (a day, Jun 30, 2024, is text). */
	function cellValue(row, col, prefix) {
		var cell = row.cells[col];
		var text = cell ? cell.textContent.trim() : '';
		if (text === '' || text === '–') return null;
		var figure = text, sign = /^[+-]?/.exec(text)[0];
		if (prefix && text.substr(sign.length, prefix.length) === prefix)
			figure = sign + text.substr(sign.length + prefix.length);
		var m = /^([+-]?)[^\d+-]{0,4}(\d+|\d{1,3}(?:[.,'\u2019 \u00a0\u202f\u2009]{1,4}\d{3})+)(?:[.,](\d{1,2}))?(%| pts)?$/
			.exec(figure);
		if (!m) return text;
		return Number(m[1] + m[2].replace(/\D/g, '') + (m[3] ? '.' + m[3] : ''));
	}

	/* What every cell of a column with a figure in each starts with, after a sign: a currency of
	 * any length (a configuration's "SFr. " or "EUR "), not then read as text. '' where they
	 * differ, or a cell has text alone. */
	function columnPrefix(rows, col) {
		var prefix = null;
		for (var i = 0; i < rows.length; i++) {
			var text = rows[i].cells[col] ? rows[i].cells[col].textContent.trim() : '';
			if (text === '' || text === '–') continue;
			var m = /^[+-]?(\D*)\d/.exec(text);
			if (!m || (prefix !== null && m[1] !== prefix)) return '';
			prefix = m[1];
		}
		return prefix || '';
	}

	/* Text as a reader of the page's language orders it: accents and case after the letter
	 * (Émile beside Emile, not after Zoe), digits by their value (S9 before S10). */
	var collator = null;
	try {
		collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
	} catch (e) {	/* a lang the browser does not know (a theme's "en_US"): its own language's order */
		try { collator = new Intl.Collator(undefined, { numeric: true }); } catch (e2) { collator = null; }
	}

	function compare(x, y) {
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
		if (typeof x === 'string' && collator) return collator.compare(x, y);
		return x < y ? -1 : x > y ? 1 : 0;
	}

	function sortBy(table, col, th) {
		var body = table.tBodies[0];
		if (!body) return;
		var ascending = th.getAttribute('aria-sort') !== 'ascending';
		var prefix = columnPrefix(body.rows, col);
		var rows = Array.prototype.map.call(body.rows, function (r, i) { return [cellValue(r, col, prefix), i, r]; });
		rows.sort(function (a, b) {
			var c = a[0] === null || b[0] === null ? compare(a[0], b[0]) : (ascending ? 1 : -1) * compare(a[0], b[0]);
			return c || a[1] - b[1];
		});
		rows.forEach(function (r) { body.appendChild(r[2]); });
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
		th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
	}

	C360.sortable = function (table) {
		if (!table.tHead || table.dataset.sortable) return;
		table.dataset.sortable = 'yes';
		Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
			var button = document.createElement('button');
			button.type = 'button';
			while (th.firstChild) button.appendChild(th.firstChild);
			th.appendChild(button);
			button.addEventListener('click', function () { sortBy(table, col, th); });
		});
	};

	/* Cells style.css keeps whole or lets wrap anywhere: an ISO date or moment (1980-01-02,
	 * 2024-06-29 22:32:00), which a squeezed column would break at a hyphen or its space, is one
	 * "date"; a cell with a word of more than 20 characters (a long e-mail, a Welsh town, an id
	 * of one word) is "long", so that its column can give way and its table fit the page, the
	 * shorter words of the others kept whole. */
	var ISO = /^\d{4}-\d\d-\d\d(?: \d\d:\d\d(?::\d\d)?)?$/, LONG = /\S{21}/;
	C360.markCells = function (table) {
		Array.prototype.forEach.call(table.querySelectorAll('td'), function (td) {
			var text = td.textContent.trim();
			if (ISO.test(text)) td.classList.add('date');
			else if (LONG.test(text)) td.classList.add('long');
		});
	};

	/* Each cell labelled by its column's heading, for the phone layout (style.css): a table of one
	 * row is a list of label and value, one of four columns or more a card a row (its headings
	 * stay, as the buttons that sort the cards). */
	C360.labelCells = function (table) {
		var heads = table.tHead ? table.tHead.rows[0].cells : [];
		var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
		if (rows.length === 1) table.classList.add('one-row');
		else if (heads.length >= 4) table.classList.add('cards');
		else return;
		/* a table laid out as blocks stays a table to a screen reader (Safari's would drop it) */
		var cards = table.classList.contains('cards');
		if (cards) {
			table.setAttribute('role', 'table');
			Array.prototype.forEach.call(table.querySelectorAll('thead, tbody'), function (g) { g.setAttribute('role', 'rowgroup'); });
			Array.prototype.forEach.call(table.rows, function (tr) { tr.setAttribute('role', 'row'); });
			Array.prototype.forEach.call(heads, function (th) { th.setAttribute('role', 'columnheader'); });
		}
		Array.prototype.forEach.call(rows, function (tr) {
			Array.prototype.forEach.call(tr.cells, function (td, i) {
				if (heads[i]) td.dataset.label = heads[i].textContent.trim();
				if (cards) td.setAttribute('role', td.tagName === 'TH' ? 'rowheader' : 'cell');
			});
		});
	};

	/* The tables in root (the page body, or what viewer.js put in it). */
	C360.prepareTables = function (root) {
		root.querySelectorAll('table').forEach(function (t) {
			if (t.closest('figure')) return;
			C360.markCells(t);
			C360.labelCells(t);
			if (!t.classList.contains('one-row')) C360.sortable(t);
		});
	};

	document.addEventListener('DOMContentLoaded', function () {
		var main = document.querySelector('main');
		if (main) C360.prepareTables(main);
	});
})();
