/* search.js — customer search in the browser. The index is split into small script files
 * (customers/search/t<prefix>.js for the words, r<k>.js for the customers) loaded on demand
 * with <script> elements, so it works from a web server and from disk alike, at any scale. */
(function () {
	'use strict';
	var C360 = window.C360 = window.C360 || {};
	var MAX_RESULTS = 50;
	var info = null, words = {}, records = {}, segments = null, waiting = {};

	C360.searchInfo = function (i) { info = i; };
	C360.tokens = function (key, list) { words[key] = list; loaded('t' + key); };
	C360.records = function (k, list) { records[k] = list; loaded('r' + k); };
	/* Each customer's segment as a letter in id order (A: the first label): the one file that
	 * changes with the as-of date alone. */
	C360.segments = function (labels, letters) { segments = { labels: labels, letters: letters }; loaded('segments'); };

	function segmentOf(o) {
		return segments ? segments.labels[segments.letters.charCodeAt(o) - 65] || '' : '';
	}

	function loaded(name) {
		var cbs = waiting[name] || [];
		waiting[name] = 'done';
		cbs.forEach(function (cb) { cb(); });
	}

	/* Loads search/NAME.js once; calls cb when it has run (or failed: a missing shard is empty). */
	function load(name, cb) {
		if (waiting[name] === 'done') return cb();
		if (waiting[name]) return waiting[name].push(cb);
		waiting[name] = [cb];
		var s = document.createElement('script');
		s.src = 'search/' + name + '.js';
		s.onerror = function () { loaded(name); };
		document.head.appendChild(s);
	}

	function loadAll(names, cb) {
		var left = names.length;
		if (!left) return cb();
		names.forEach(function (n) { load(n, function () { if (--left === 0) cb(); }); });
	}

	/* As c360 indexes: accents off, lower case, split at anything but letters and digits. */
	function tokens(text) {
		return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u)
			.filter(function (t) { return t.length >= 2; });
	}

	function shardOf(token) {
		var b = new TextEncoder().encode(token);
		return ('0' + b[0].toString(16)).slice(-2) + ('0' + b[1].toString(16)).slice(-2);
	}

	/* Customers with a word starting with token: a binary search in the sorted shard. */
	function matches(token) {
		var list = words[shardOf(token)] || [], lo = 0, hi = list.length / 2, found = new Set();
		while (lo < hi) {
			var mid = (lo + hi) >> 1;
			if (list[2 * mid] < token) lo = mid + 1; else hi = mid;
		}
		for (var i = lo; i < list.length / 2 && list[2 * i].lastIndexOf(token, 0) === 0; i++)
			found.add(list[2 * i + 1]);
		return found;
	}

	function cell(tr, text, href, cls) {
		var td = document.createElement('td');
		if (cls) td.className = cls;
		if (href) {
			var a = document.createElement('a');
			a.href = href;
			a.textContent = text;
			td.appendChild(a);
		} else {
			td.textContent = text;
		}
		tr.appendChild(td);
	}

	function money(cents) {
		var s = (Math.abs(cents) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
		return (cents < 0 ? '-' : '') + s;
	}

	function show(ords, status, out) {
		var table = document.createElement('table');
		table.innerHTML = '<caption>Search results</caption><thead><tr><th scope="col">Customer</th>' +
			'<th scope="col">Id</th><th scope="col">E-mail</th><th scope="col">City</th>' +
			'<th scope="col">Segment</th><th scope="col" class="right">Lifetime value</th></tr></thead>';
		var body = document.createElement('tbody');
		ords.forEach(function (o) {
			var r = records[Math.floor(o / info.perFile)][o % info.perFile];
			var tr = document.createElement('tr');
			cell(tr, r[1] || r[0], r[5]);
			cell(tr, r[0]);
			cell(tr, r[2]);
			cell(tr, r[3]);
			cell(tr, segmentOf(o));
			cell(tr, money(r[4]), null, 'right');
			body.appendChild(tr);
		});
		table.appendChild(body);
		out.replaceChildren(table);
		if (C360.sortable) C360.sortable(table);
	}

	function search(query, status, out) {
		var toks = tokens(query);
		if (!toks.length || !info) {
			status.textContent = 'Type two letters or more.';
			out.replaceChildren();
			return;
		}
		loadAll(toks.map(function (t) { return 't' + shardOf(t); }), function () {
			var hits = null;
			toks.forEach(function (t) {
				var m = matches(t);
				hits = hits === null ? m : new Set(Array.from(hits).filter(function (o) { return m.has(o); }));
			});
			var ords = Array.from(hits).sort(function (a, b) { return a - b; });
			var shown = ords.slice(0, MAX_RESULTS);
			var files = Array.from(new Set(shown.map(function (o) { return 'r' + Math.floor(o / info.perFile); })));
			files.push('segments');
			loadAll(files, function () {
				status.textContent = ords.length === 0 ? 'No customer matches.' :
					ords.length + (ords.length === 1 ? ' customer matches' : ' customers match') +
					(ords.length > shown.length ? '; the first ' + shown.length + ' are shown.' : '.');
				show(shown, status, out);
			});
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var input = document.getElementById('q'), status = document.getElementById('search-status');
		var out = document.getElementById('search-results'), timer = null;
		if (!input) return;
		input.form.addEventListener('submit', function (e) { e.preventDefault(); });
		input.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(function () { search(input.value, status, out); }, 120);
		});
		if (input.value) search(input.value, status, out);
	});
})();
