/* sort.js — tables in the page body sort by any column when its header is clicked. */
(function () {
	'use strict';
	var C360 = window.C360 = window.C360 || {};

	function cellValue(row, col) {
		var cell = row.cells[col];
		var text = cell ? cell.textContent.trim() : '';
		var num = text.replace(/[,%+]/g, '');
		return num !== '' && !isNaN(num) ? Number(num) : text.toLowerCase();
	}

	function sortBy(table, col, th) {
		var body = table.tBodies[0];
		if (!body) return;
		var ascending = th.getAttribute('aria-sort') !== 'ascending';
		var rows = Array.prototype.slice.call(body.rows);
		rows.sort(function (a, b) {
			var x = cellValue(a, col), y = cellValue(b, col);
			var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === 'number' ? -1 : 1);
			return ascending ? c : -c;
		});
		rows.forEach(function (r) { body.appendChild(r); });
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

	document.addEventListener('DOMContentLoaded', function () {
		document.querySelectorAll('main table').forEach(function (t) {
			if (!t.closest('figure')) C360.sortable(t);
		});
	});
})();
