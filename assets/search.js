/* search.js — the customer search on customers/index.html. The index is split into small script
 * files (customers/search/t<prefix>.js for the words, r<k>.js for the customers by id,
 * ranks.js for their places by lifetime value), loaded on demand with <script> elements, so it
 * works from a web server and from disk alike, at any scale; info.js lists the word files there
 * are, so none is asked for that is not there. A customer is known by its place in the records.
 *
 * Results rank: a whole id or e-mail first, then names starting with the query, then the other
 * matches; within each, the higher lifetime value first. The query and the page are in the
 * address (?q=...&page=2), so a search can be shared or reloaded. */
(function () {
	'use strict';
	var C360 = window.C360 = window.C360 || {};
	var PAGE = 25;
	var TAG_NAME_START = 1, TAG_WHOLE = 2;
	var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	var info = null, shards = null, words = {}, records = {}, segments = null, ranks = null, waiting = {}, generation = 0;

	C360.searchInfo = function (i) {
		info = i;
		shards = new Set(i.shards ? i.shards.split(' ') : []);
	};
	C360.tokens = function (key, list) { words[key] = list; loaded('t' + key); };
	C360.records = function (k, list) { records[k] = list; loaded('r' + k); };
	/* Each customer's segment as a letter in the records' order (A: the first label): the one
	 * file that changes with the as-of date alone. */
	C360.segments = function (labels, letters) { segments = { labels: labels, letters: letters }; loaded('segments'); };

	/* Each customer's place by lifetime value (0: the highest), width base64url digits a record. */
	C360.ranks = function (width, digits) { ranks = { width: width, digits: digits }; loaded('ranks'); };

	function rankOf(at) {
		if (!ranks) return at;	/* ranks.js did not load: the records' order */
		var r = 0;
		for (var i = at * ranks.width, end = i + ranks.width; i < end; i++)
			r = r * 64 + DIGITS.indexOf(ranks.digits.charAt(i));
		return r;
	}

	function segmentOf(o) {
		return segments ? segments.labels[segments.letters.charCodeAt(o) - 65] || '' : '';
	}

	function loaded(name) {
		var cbs = waiting[name] || [];
		waiting[name] = 'done';
		cbs.forEach(function (cb) { cb(); });
	}

	/* Loads search/NAME.js once; calls cb when it has run (or failed: then it is empty). */
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

	/* As c360 indexes (site_customers.c's search_fold): the compatibility forms decomposed (NFKD:
	 * full-width ａｂｃ１２３ and half-width ｶﾀｶﾅ as abc123 and カタカナ), accents off, lower case, the
	 * letters NFD leaves whole as they are typed without them; words are runs of letters and
	 * digits, two bytes or more (c360 indexes a word with apostrophes whole without them too:
	 * "obrien" finds O'Brien, "o'brien" finds it by "brien"; and the rest of a word of Chinese or
	 * Japanese from each of its first letters on: "小明" finds 王小明). */
	var letters = {'ø': 'o', 'ł': 'l', 'đ': 'd', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ð': 'd', 'ı': 'i'};
	function fold(text) {
		return text.replace(/\u00b4/g, '\u2019')	/* ´ as an apostrophe: ’, which NFKD leaves, not " ́" */
			.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[øłđßæœþðı]/g,
				function (c) { return letters[c]; });
	}

	function bytes(s) {
		return new TextEncoder().encode(s);
	}

	function tokens(text) {
		return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return bytes(t).length >= 2; });
	}

	function hexOf(key) {
		return Array.from(bytes(key), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
	}

	/* The word files that may hold words starting with key (whole: only key itself): the one
	 * whose name is the longest start of it, else, where the files split deeper than key is
	 * long, every one whose name starts with it. */
	function shardsFor(key, whole) {
		var h = hexOf(key) + (whole ? '00' : '');
		for (var d = h.length; d >= 4; d -= 2)
			if (shards.has(h.slice(0, d))) return [h.slice(0, d)];
		return whole ? [] : Array.from(shards).filter(function (k) { return k.lastIndexOf(h, 0) === 0; });
	}

	/* The entries of the files that may hold key, from the first whose word is not below key;
	 * fn(word, value) says whether to go on. */
	function scan(key, whole, fn) {
		shardsFor(key, whole).forEach(function (k) { scanList(words[k] || [], key, fn); });
	}

	function scanList(list, key, fn) {
		var lo = 0, hi = list.length / 2;
		while (lo < hi) {
			var mid = (lo + hi) >> 1;
			if (list[2 * mid] < key) lo = mid + 1; else hi = mid;
		}
		for (var i = lo; i < list.length / 2 && fn(list[2 * i], list[2 * i + 1]); i++);
	}

	/* Customers with a word starting with token: place -> whether that word starts their name. */
	function wordMatches(token) {
		var found = new Map();
		scan(token, false, function (word, value) {
			if (word.lastIndexOf(token, 0) !== 0) return false;
			var tag = value & 3, at = value >> 2;	/* a whole id that is one word is a word too */
			if (tag !== TAG_WHOLE || /^[\p{L}\p{N}]+$/u.test(word))
				found.set(at, found.get(at) || tag === TAG_NAME_START);
			return true;
		});
		return found;
	}

	function wholeMatches(key) {
		var found = new Set();
		scan(key, true, function (word, value) {
			if (word !== key) return false;
			if ((value & 3) === TAG_WHOLE) found.add(value >> 2);
			return true;
		});
		return found;
	}

	/* Every match of the query, ranked: [place, class, place by value] with class 0 whole id or
	 * e-mail, 1 name start, 2 other. */
	function rank(toks, whole) {
		var classOf = new Map();
		if (toks.length) {
			var maps = toks.map(wordMatches);
			maps[0].forEach(function (nameStart, r) {
				if (maps.every(function (m) { return m.has(r); })) classOf.set(r, nameStart ? 1 : 2);
			});
		}
		if (whole) wholeMatches(whole).forEach(function (r) { classOf.set(r, 0); });
		return Array.from(classOf, function (m) { return [m[0], m[1], rankOf(m[0])]; })
			.sort(function (a, b) { return a[1] - b[1] || a[2] - b[2]; });
	}

	function cell(tr, text, href) {
		var td = document.createElement('td');
		if (href) {
			var a = document.createElement('a');
			a.href = href;
			a.textContent = text;
			td.appendChild(a);
		} else {
			td.textContent = text;
		}
		tr.appendChild(td);
		return td;
	}

	function show(shown, out) {
		var table = document.createElement('table');
		table.innerHTML = '<caption class="sr">Search results</caption><thead><tr><th scope="col">Customer</th>' +
			'<th scope="col">Id</th><th scope="col">E-mail</th><th scope="col">City</th>' +
			'<th scope="col">Segment</th><th scope="col">Last order</th>' +
			'<th scope="col" class="right">Lifetime value</th></tr></thead>';
		var body = document.createElement('tbody');
		shown.forEach(function (m) {
			var r = records[Math.floor(m[0] / info.perFile)][m[0] % info.perFile];
			var tr = document.createElement('tr');
			cell(tr, r[1] || r[0], r[5]);
			[r[0], r[2], r[3], segmentOf(m[0]), r[6]].forEach(function (t) { cell(tr, t); });
			cell(tr, r[4]).className = 'right';
			body.appendChild(tr);
		});
		table.appendChild(body);
		out.replaceChildren(table);
		if (C360.markCells) C360.markCells(table);
		if (C360.labelCells) C360.labelCells(table);
	}

	function pager(el, page, pages, go) {
		el.replaceChildren();
		if (pages <= 1) return;
		[['Previous', page - 1], ['Next', page + 1]].forEach(function (b, i) {
			var button = document.createElement('button');
			button.type = 'button';
			button.textContent = b[0];
			button.disabled = b[1] < 1 || b[1] > pages;
			button.addEventListener('click', function () { go(b[1]); });
			if (i === 1) {
				var p = document.createElement('p');
				p.textContent = 'Page ' + page + ' of ' + pages;
				el.appendChild(p);
			}
			el.appendChild(button);
		});
	}

	/* The query and page in the address, where the browser allows it (file: pages may not). */
	function remember(query, page) {
		var params = new URLSearchParams();
		if (query) params.set('q', query);
		if (page > 1) params.set('page', String(page));
		var search = params.toString();
		try {
			history.replaceState(null, '', search ? '?' + search : location.pathname);
		} catch (e) { /* the results are still shown */ }
	}

	function count(n) {
		return n.toLocaleString('en-US');
	}

	function search(query, page, ui) {
		var toks = tokens(query), whole = fold(query).trim(), mine = ++generation;
		remember(query.trim(), page);
		if (!info || (!toks.length && !whole)) {
			ui.status.textContent = info ? 'Type a name, an e-mail, an id or a city.' : 'The search index is missing.';
			ui.out.replaceChildren();
			ui.pager.replaceChildren();
			return;
		}
		var keys = [].concat.apply(whole ? shardsFor(whole, true) : [], toks.map(function (t) { return shardsFor(t, false); }));
		loadAll(Array.from(new Set(keys)).map(function (k) { return 't' + k; }).concat('ranks'), function () {
			if (mine !== generation) return;
			var matches = rank(toks, whole), pages = Math.max(1, Math.ceil(matches.length / PAGE));
			page = Math.min(Math.max(1, page), pages);
			var shown = matches.slice((page - 1) * PAGE, page * PAGE);
			var files = Array.from(new Set(shown.map(function (m) { return 'r' + Math.floor(m[0] / info.perFile); })));
			files.push('segments');
			loadAll(files, function () {
				if (mine !== generation) return;
				ui.status.textContent = matches.length === 0 ? 'No customer matches.' +
					(toks.length ? '' : ' A word is looked for from two letters on.') :
					(matches.length === 1 ? 'One customer matches.' : count(matches.length) + ' customers match') +
					(matches.length > shown.length ? ', ' + count((page - 1) * PAGE + 1) + ' to ' +
						count((page - 1) * PAGE + shown.length) + ' shown.' : matches.length > 1 ? '.' : '');
				if (matches.length) show(shown, ui.out); else ui.out.replaceChildren();
				pager(ui.pager, page, pages, function (p) { search(query, p, ui); ui.status.focus(); });
				remember(query.trim(), page);
			});
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var input = document.getElementById('q');
		if (!input) return;
		var ui = { status: document.getElementById('search-status'), out: document.getElementById('search-results'),
			pager: document.getElementById('search-pager') };
		var params = new URLSearchParams(location.search), timer = null;
		input.form.addEventListener('submit', function (e) {
			e.preventDefault();
			clearTimeout(timer);
			search(input.value, 1, ui);
		});
		input.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(function () { search(input.value, 1, ui); }, 150);
		});
		if (params.get('q')) {
			input.value = params.get('q');
			search(input.value, Number(params.get('page')) || 1, ui);
		}
	});
})();
