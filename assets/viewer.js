/* viewer.js — customers/view.html?id=ID (customer_pages = packed) shows customer ID's page from
 * customers/packed/K.js. K is computed from the id's bytes as c360 computes it (FNV-1a, then
 * murmur3's finaliser, modulo the number of packs the page names: a power of two), so no map of
 * ids is loaded; the pack is loaded with a <script> element, so it works from disk as from a
 * server. A pack holds [id, title, body] for each of its customers, then the pack's markup: a
 * body is a list of its page's text (strings) and markup (numbers: places in the pack's list of
 * markup); joined in order, the page's HTML. */
(function () {
	'use strict';
	var C360 = window.C360 = window.C360 || {};
	var packs = {}, shown = 0;	/* shown: the latest show(), whose pack alone fills the page */
	var site = '';	/* the title's " · " and site title after the page's title, as the page came */

	C360.customers = function (k, list, markup) { packs[k] = { list: list, markup: markup }; };

	/* A body's page: its text and its pack's markup, in order. */
	C360.unpack = function (body, markup) {
		return body.map(function (x) { return typeof x === 'number' ? markup[x] : x; }).join('');
	};

	/* The id's bytes from the address's id=...: %XX as a byte, any other character as its UTF-8
	 * (c360 writes every byte but A-Z a-z 0-9 - . _ ~ as %XX). null if there is no id. */
	function idBytes(search) {
		var param = search.replace(/^\?/, '').split('&').filter(function (p) { return p.toLowerCase().lastIndexOf('id=', 0) === 0; })[0];
		if (param === undefined) return null;
		var text = param.slice(3), out = [];
		for (var i = 0; i < text.length; i++) {
			if (text.charAt(i) === '%' && /^[0-9a-fA-F]{2}$/.test(text.substr(i + 1, 2))) {
				out.push(parseInt(text.substr(i + 1, 2), 16));
				i += 2;
			} else {
				var cp = text.codePointAt(i);
				new TextEncoder().encode(String.fromCodePoint(cp)).forEach(function (b) { out.push(b); });
				if (cp > 0xffff) i++;
			}
		}
		return new Uint8Array(out);
	}

	/* The pack of an id's bytes, of n packs. */
	C360.packOf = function (bytes, n) {
		var x = 2166136261;
		for (var i = 0; i < bytes.length; i++) x = Math.imul(x ^ bytes[i], 16777619);
		x ^= x >>> 16;
		x = Math.imul(x, 0x85ebca6b);
		x ^= x >>> 13;
		x = Math.imul(x, 0xc2b2ae35);
		x ^= x >>> 16;
		return (x >>> 0) % n;
	};

	function load(k, cb) {
		if (packs[k]) return cb();
		var s = document.createElement('script');
		s.src = 'packed/' + k + '.js';
		s.onload = s.onerror = function () { cb(); };
		document.head.appendChild(s);
	}

	/* text with its bidirectional controls closed where it ends, as c360 closes a value's (UAX #9
	 * matching: a PDF closes the embedding or override on top, a PDI the latest isolate and what
	 * was opened in it; a closer of nothing, or an opener past 64 open, is left out): an id from
	 * the address, shown in a sentence, reorders only itself. */
	function closeBidi(text) {
		var open = [], out = '';
		for (var i = 0; i < text.length; i++) {
			var c = text.charCodeAt(i);
			if ((c >= 0x202a && c <= 0x202e && c !== 0x202c) || (c >= 0x2066 && c <= 0x2068)) {
				if (open.length === 64) continue;
				open.push(c >= 0x2066);
			} else if (c === 0x202c) {
				if (!open.length || open[open.length - 1]) continue;
				open.pop();
			} else if (c === 0x2069) {
				while (open.length && !open[open.length - 1]) open.pop();
				if (!open.pop()) continue;
			}
			out += text.charAt(i);
		}
		while (open.length) out += open.pop() ? '\u2069' : '\u202c';
		return out;
	}

	/* The element a #fragment names, if any (a malformed %-escape names none). */
	function placed(hash) {
		try {
			return document.getElementById(decodeURIComponent(hash));
		} catch (e) {
			return null;
		}
	}

	/* view now shows the page titled title: the document's title says so, and when the address
	   changed under a reader (announce), the focus moves to the page's heading, which a screen
	   reader reads out (the document is the same one: nothing else tells it) */
	function placedPage(view, title, announce) {
		document.title = title + site;
		var h1 = view.querySelector('h1');
		if (!announce || !h1) return;
		h1.tabIndex = -1;
		h1.focus();
	}

	/* A page that says what went wrong, the id shown as text, and where to look instead. */
	function missing(view, heading, text, announce) {
		var h1 = document.createElement('h1'), p = document.createElement('p'), a = document.createElement('a');
		h1.textContent = heading;
		p.textContent = text + ' ';
		a.href = 'index.html';
		a.textContent = 'Search the customers';
		p.appendChild(a);
		p.appendChild(document.createTextNode('.'));
		view.replaceChildren(h1, p);
		placedPage(view, heading, announce);
	}

	/* The customer the address names in view: view.html?id=ID, or view.html#ID where #ID is no
	 * place in the page (#main: the skip link's); announce: see placedPage. */
	function show(view, announce) {
		var bytes = idBytes(location.search), hash = location.hash.slice(1);
		if (!bytes && hash && !placed(hash)) bytes = idBytes('?id=' + hash);
		/* as c360 reads an id (docs/rules.md): blanks at its ends left out, an integer written as a
		   float (13085.0) the integer, so that one pasted from a spreadsheet is found (helper 117) */
		var id = bytes ? new TextDecoder().decode(bytes).trim().replace(/^(-?[0-9]+)\.0+$/, '$1') : '';
		if (!id) {
			shown++;
			return missing(view, 'No customer given',
				'This page shows the customer named in its address: view.html?id= and the id, or view.html#id.', announce);
		}
		var k = C360.packOf(new TextEncoder().encode(id), Number(view.dataset.packs) || 1), mine = ++shown;
		load(k, function () {
			if (mine !== shown) return;
			var pack = packs[k] || { list: [] };
			var found = pack.list.filter(function (r) { return r[0] === id; })[0];
			var chars = Array.from(id), said = chars.length > 100 ? chars.slice(0, 100).join('') + '…' : id;	/* whole characters */
			if (!found)
				return missing(view, 'Unknown customer', 'No customer has the id “' + closeBidi(said) + '” in this site.', announce);
			view.innerHTML = C360.unpack(found[2], pack.markup);
			if (C360.prepareTables) C360.prepareTables(view);
			placedPage(view, found[1], announce);
		});
	}

	document.addEventListener('DOMContentLoaded', function () {
		var view = document.getElementById('customer-view');
		if (!view) return;
		/* after the first " · ": a customer's name may have one, the page's own title ("Customer") has none */
		site = document.title.indexOf(' · ') < 0 ? '' : document.title.slice(document.title.indexOf(' · '));
		show(view, false);
		/* view.html#A to view.html#B (typed, a link, back and forward) is the same document: the
		   customer the address now names, not the one shown first; the page's own places (#main)
		   and an address with ?id= keep what is shown */
		window.addEventListener('hashchange', function () {
			var hash = location.hash.slice(1);
			if (!idBytes(location.search) && !(hash && placed(hash))) show(view, true);
		});
	});
})();
