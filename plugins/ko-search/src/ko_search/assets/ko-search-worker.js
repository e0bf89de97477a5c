// ko-search: the search worker of the site. Material's search box talks to
// it with Material's messages (SETUP, READY, QUERY, RESULT) and renders what
// it answers as it would Material's own worker's results. It searches the
// index the ko-search plugin writes in shards (shards.py): a query loads the
// shards of its terms and the fragments of the pages it shows, nothing else.
//
// Korean: the query's particles and endings are stripped and a word the site
// writes apart is split, before terms are matched as prefixes of the indexed
// words (which hold the tails of Korean words: 엔지니어 of 인프라엔지니어).
"use strict";
(function () {
  // Material's message types (integrations/search/worker/message).
  var SETUP = 0;
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;

  // Pages in a result list: two screens of Material's list, which shows ten
  // before the reader scrolls. Their fragments are what a query loads beyond
  // its shards, so the first screen is answered as soon as its ten are in, and
  // the whole list once the rest are.
  var SCREEN_PAGES = 10;
  var RESULT_PAGES = 20;
  var OPTIONAL = 0;
  var REQUIRED = 1;
  var PROHIBITED = 2;

  // Particles and endings that follow a noun (리눅스를, 컨테이너에서는,
  // 설치했다). Terms are matched as prefixes, so the bare noun finds every
  // form of it: 리눅스를 -> 리눅스 finds 리눅스는 too.
  //
  // These never end a common noun: they are stripped even when one syllable
  // is left (팀을 -> 팀).
  var STRONG = [
    "에서부터", "으로부터", "했습니다", "됐습니다",
    "로부터", "에게서", "한테서", "에서는", "에서도", "에서의", "에게는", "에게도",
    "으로는", "으로도", "으로서", "으로써", "으로의", "까지는", "까지도", "부터는",
    "이라고", "이라는", "이라도", "이라면", "이지만", "입니다", "이었다", "이에요",
    "합니다", "됩니다",
    "에서", "에게", "한테", "께서", "으로", "까지", "부터", "마저", "조차", "처럼",
    "보다", "만큼", "마다", "이나", "이랑", "이며", "이다", "이란", "라고", "라는",
    "라도", "로는", "로도", "로서", "로써", "로의", "에는", "에도", "와는", "과는",
    "와의", "과의", "와도", "과도", "하다", "한다", "하는", "하고", "하면", "하며",
    "하여", "해서", "했다", "했던", "했고", "하기", "하게", "하지", "되다", "된다",
    "되는", "되고", "되면", "되어", "됐다",
    "를", "을", "는", "은"
  ];
  // These also end many nouns (결과, 속도, 회의, 권한): stripped only when at
  // least two syllables are left, and a noun cut short still finds itself.
  var WEAK = [
    "이", "가", "의", "에", "도", "만", "와", "과", "로", "나", "랑", "인",
    "한", "할", "함", "해", "된", "될", "됨"
  ];

  var HANGUL = /[가-힣]/g;
  var LATIN_OR_DIGIT = /[0-9A-Za-z]/;
  var LONE_JAMO = /[\u3131-\u318e]+$/;
  // A term: Material's modifiers around one word that ends in Hangul.
  var TERM = /^([^0-9A-Za-z가-힣\u3131-\u318e]*)(.*[가-힣\u3131-\u318e])([^0-9A-Za-z가-힣\u3131-\u318e]*)$/;

  var endings = STRONG.map(function (text) { return { text: text, left: 1 }; })
    .concat(WEAK.map(function (text) { return { text: text, left: 2 }; }))
    .sort(function (a, b) { return b.text.length - a.text.length; });

  var config = null;  // Material's search settings, from SETUP
  var index = null;   // a promise of {folder, keys, stop, separator}
  var loaded = {};    // URL -> promise of its JSON, so a file is fetched once
  var latest = 0;     // the newest query: an older one still loading stays unanswered

  // A file that failed to load (a phone losing its signal) is tried again by
  // the next query that needs it.
  function load(url) {
    if (!loaded[url])
      loaded[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      }).catch(function (error) {
        delete loaded[url];
        throw error;
      });
    return loaded[url];
  }

  function ready() {
    if (!index) index = setup().catch(function (error) {
      index = null;
      throw error;
    });
    return index;
  }

  // The worker lives in assets/javascripts/workers/ of the site; the stub
  // search_index.json of each language names its shards' folder from the
  // site's root.
  function setup() {
    var folder = new URL("../../../" + config.ko_search, self.location.href).href;
    var separator = new RegExp(config.separator, "g");
    return load(folder + "manifest.json").then(function (manifest) {
      var longest = 0;
      for (var key in manifest.keys) longest = Math.max(longest, key.length);
      return {
        folder: folder, keys: manifest.keys, longest: longest, separator: separator,
        stop: new Set(manifest.stop)
      };
    });
  }

  // The shard holding the terms that start with term, and its key, or null.
  function shardOf(term) {
    return ready().then(function (ix) {
      for (var n = Math.min(term.length, ix.longest); n > 0; n--) {
        var key = term.slice(0, n);
        if (Object.prototype.hasOwnProperty.call(ix.keys, key))
          return load(ix.folder + "t/" + ix.keys[key] + ".json").then(function (shard) {
            return { key: key, shard: shard };
          });
      }
      return null;
    });
  }

  // What a clause matches: how many indexed terms (n) and each document's
  // score in thousandths, keyed page * 65536 + section.
  function matches(term, prefix) {
    return shardOf(term).then(function (found) {
      var docs = new Map();
      if (!found) return { n: 0, docs: docs };
      if (prefix && term.length === found.key.length) {
        addDocs(docs, found.shard.p);
        return { n: found.shard.n, docs: docs };
      }
      var terms = Object.keys(found.shard.t).filter(function (each) {
        return prefix ? each.lastIndexOf(term, 0) === 0 : each === term;
      });
      terms.sort(lunrOrder).forEach(function (each) { addDocs(docs, found.shard.t[each]); });
      return { n: terms.length, docs: docs };
    });
  }

  // lunr meets a prefix's terms in this order (shards.lunr_order), and so the
  // documents that tie on score: a term before the longer ones it begins, and
  // otherwise the higher letter first. docs keeps the order it met them in.
  function lunrOrder(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++)
      if (a[i] !== b[i]) return a[i] < b[i] ? 1 : -1;
    return a.length - b.length;
  }

  function addDocs(docs, flat) {
    for (var i = 0, page = 0; i < flat.length; i += 3) {
      page += flat[i];
      var ref = page * 65536 + flat[i + 1];
      docs.set(ref, (docs.get(ref) || 0) + flat[i + 2]);
    }
  }

  // Whether the site has a word that starts with piece (inner words count).
  function onSite(piece) {
    return matches(piece, true).then(function (found) { return found.n > 0; });
  }

  function syllables(word) {
    return (word.match(HANGUL) || []).length;
  }

  function stem(word) {
    for (var i = 0; i < endings.length; i++) {
      var ending = endings[i];
      if (word.length > ending.text.length && word.slice(-ending.text.length) === ending.text) {
        var rest = word.slice(0, -ending.text.length);
        if (LATIN_OR_DIGIT.test(rest) || syllables(rest) >= ending.left) return rest;
      }
    }
    return word;
  }

  // Whether the site writes left and right side by side, apart.
  function apart(left, right) {
    var pair = left + " " + right;
    return shardOf(pair).then(function (found) {
      return !!found && found.shard.j.some(function (each) {
        return each.lastIndexOf(pair, 0) === 0;
      });
    });
  }

  // Korean spacing varies: a reader may write together what a page writes
  // apart. A word of four or more letters that the site never has as typed
  // is searched as its pieces, the fewest of two or more letters each on the
  // site (컨테이너플랫폼: 컨테이너, 플랫폼); one it has, also as the two halves
  // it writes apart somewhere (인프라엔지니어 and 인프라 엔지니어).
  function words(word) {
    if (word.length < 4) return Promise.resolve([word]);
    return onSite(word).then(function (found) {
      if (found) {
        var halves = [];
        for (var i = 2; i <= word.length - 2; i++) halves.push([word.slice(0, i), word.slice(i)]);
        return Promise.all(halves.map(function (h) { return apart(h[0], h[1]); }))
          .then(function (written) {
            var at = written.indexOf(true);
            return at < 0 ? [word] : [word].concat(halves[at]);
          });
      }
      var pieces = [];
      for (var start = 0; start < word.length - 1; start++)
        for (var end = start + 2; end <= word.length; end++)
          pieces.push(word.slice(start, end));
      return Promise.all(pieces.map(onSite)).then(function (known) {
        var has = new Set(pieces.filter(function (piece, i) { return known[i]; }));
        var best = [[]];  // best[i]: the fewest pieces that spell word.slice(0, i)
        for (var end = 2; end <= word.length; end++)
          for (var start = 0; start <= end - 2; start++) {
            if (!best[start] || !has.has(word.slice(start, end))) continue;
            if (!best[end] || best[start].length + 1 < best[end].length)
              best[end] = best[start].concat([word.slice(start, end)]);
          }
        return best[word.length] || [word];
      });
    });
  }

  function rewriteTerm(term) {
    var match = TERM.exec(term);
    if (!match) return Promise.resolve(term);
    var word = match[2].replace(LONE_JAMO, "");
    if (!word) return Promise.resolve("");
    return words(stem(word.toLowerCase())).then(function (each) {
      return each.map(function (part) { return match[1] + part + match[3]; }).join(" ");
    });
  }

  function rewriteQuery(query) {
    return Promise.all(query.split(/(\s+)/).map(rewriteTerm)).then(function (parts) {
      return parts.join("");
    });
  }

  // The clauses of a query as Material's search reads it: "a phrase" requires
  // each of its words, +word requires it, -word rules it out, word^2 weighs
  // it double; any other word is a prefix. Material's field (title:) and
  // fuzzy (~1) modifiers are read but match as a plain prefix here.
  function clauses(query, separator) {
    var found = [];
    var text = query.trim()
      .replace(/"([^"]+)"/g, function (all, phrase) { return phrase.replace(/(^|\s+)(?=\S)/g, "$1+"); })
      .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "");
    text.split(/\s+/).forEach(function (part) {
      var presence = part[0] === "+" ? REQUIRED : part[0] === "-" ? PROHIBITED : OPTIONAL;
      var rest = part.replace(/^[+-]/, "").replace(/^(title|text|tags):/, "");
      var boost = /\^(\d+)$/.exec(rest);
      var modified = /[~^]\d*$/.test(rest);
      rest = rest.replace(/[~^]\d*$/, "");
      // Material matches a plain word as a prefix; one with a modifier (+, -,
      // ^, ~) as written, unless it ends in *.
      var prefix = (presence === OPTIONAL && !modified) || /\*$/.test(rest);
      // Material reads a colon after any other word as a space.
      var terms = rest.replace(/^\*+|\*+$/g, "").replace(/:/g, " ").split(separator);
      terms.forEach(function (term) {
        if (term) found.push({
          term: term.toLowerCase(), presence: presence, prefix: prefix,
          boost: boost ? +boost[1] : 1
        });
      });
    });
    return found;
  }

  // lunr's query vector length: each indexed term weighs the sum of the
  // boosts of the clauses it matches.
  function magnitude(scored) {
    var sum = 0;
    scored.forEach(function (a, i) {
      sum += a.boost * a.boost * a.n;
      scored.slice(i + 1).forEach(function (b) {
        sum += 2 * a.boost * b.boost * overlap(a, b);
      });
    });
    return Math.sqrt(sum);
  }

  function overlap(a, b) {
    if (b.term.lastIndexOf(a.term, 0) === 0 && (a.prefix || a.term === b.term)) return b.n;
    if (a.term.lastIndexOf(b.term, 0) === 0 && b.prefix) return a.n;
    return 0;
  }

  // Documents, scored as Material scores them, grouped by page, best first.
  function rank(scored, ix) {
    var kept = scored.filter(function (c) { return c.presence !== PROHIBITED; });
    var length = magnitude(kept);
    var scores = new Map();  // in the order lunr meets the documents
    kept.forEach(function (c) {
      c.docs.forEach(function (thousandths, ref) {
        scores.set(ref, (scores.get(ref) || 0) + c.boost * thousandths / 1000 / length);
      });
    });
    var items = [];
    var met = 0;
    scores.forEach(function (score, ref) {
      met++;
      var ruledOut = scored.some(function (c) {
        var has = c.docs.has(ref);
        return (c.presence === REQUIRED && !has) || (c.presence === PROHIBITED && has);
      });
      if (ruledOut) return;
      var terms = {};
      var held = 0;
      var counted = 0;
      kept.forEach(function (c) {
        if (c.docs.has(ref)) terms[c.term] = true;
        else if (!ix.stop.has(c.term) && !(c.term in terms)) terms[c.term] = false;
      });
      for (var term in terms) { counted++; if (terms[term]) held++; }
      // Material's: an article over its sections, a page with more of the
      // query's terms over one with fewer.
      var section = ref % 65536;
      var boost = (section === 0 ? 1 : 0) + (counted ? held / counted : 0);
      items.push({ ref: ref, met: met, score: score * (1 + boost * boost), terms: terms });
    });
    items.sort(function (a, b) { return b.score - a.score || a.met - b.met; });
    var groups = new Map();
    items.forEach(function (item) {
      var page = Math.floor(item.ref / 65536);
      if (!groups.has(page)) groups.set(page, []);
      groups.get(page).push(item);
    });
    groups.forEach(function (group, page) {
      if (!group.some(function (item) { return item.ref % 65536 === 0; }))
        group.push({ ref: page * 65536, score: 0, terms: {} });
    });
    return Array.from(groups.entries()).slice(0, RESULT_PAGES);
  }

  // Marks the words of html that start with one of terms, as Material does:
  // text between tags, split at the index's separator. Whole, or (full false)
  // only the first two top-level blocks that have a mark, as Material's
  // teasers show.
  function highlight(html, terms, separator, full) {
    if (!terms.length) return html;
    var blocks = [];
    var block = null;
    var depth = 0;
    var tag = /<[^>]*>/g;
    var at = 0;
    var match;
    function text(from, to) {
      if (to <= from) return;
      if (!block) blocks.push(block = { start: from, parts: [], marked: false });
      block.parts.push(mark(html.slice(from, to)));
    }
    function mark(run) {
      var out = "";
      var last = 0;
      separator.lastIndex = 0;
      var pieces = [];
      var sep;
      while ((sep = separator.exec(run))) {
        pieces.push([last, sep.index]);
        last = sep.index + sep[0].length;
        if (!sep[0].length) separator.lastIndex++;
      }
      pieces.push([last, run.length]);
      last = 0;
      pieces.forEach(function (range) {
        var word = run.slice(range[0], range[1]);
        var lower = word.toLowerCase();
        if (!word || !terms.some(function (t) { return lower.lastIndexOf(t, 0) === 0; })) return;
        out += run.slice(last, range[0]) + "<mark>" + word + "</mark>";
        last = range[1];
        block.marked = true;
      });
      return out + run.slice(last);
    }
    while ((match = tag.exec(html))) {
      text(at, match.index);
      var closing = match[0][1] === "/";
      var selfClosing = match[0][match[0].length - 2] === "/";
      if (!block) blocks.push(block = { start: match.index, parts: [], marked: false });
      block.parts.push(match[0]);
      if (closing) depth--;
      else if (!selfClosing) depth++;
      if (closing && depth <= 0) { depth = 0; block = null; }
      at = tag.lastIndex;
    }
    text(at, html.length);
    if (full) return blocks.map(function (b) { return b.parts.join(""); }).join("");
    var shown = blocks.filter(function (b) { return b.marked; }).slice(0, 2);
    if (!shown.length) return html;
    return shown.map(function (b) { return b.parts.join(""); }).join("");
  }

  function item(doc, entry, ix) {
    var terms = Object.keys(entry.terms).filter(function (t) { return entry.terms[t]; });
    var shown = {
      location: doc[0],
      title: highlight(doc[1], terms, ix.separator, true),
      text: highlight(doc[2], terms, ix.separator, false),
      score: entry.score,
      terms: entry.terms
    };
    if (doc[3]) shown.tags = doc[3].map(function (tag) {
      return highlight(tag, terms, ix.separator, true);
    });
    return shown;
  }

  // The items of pages (from rank), their fragments loaded.
  function shown(pages, ix) {
    return Promise.all(pages.map(function (entry) {
      return load(ix.folder + "p/" + entry[0] + ".json").then(function (docs) {
        return entry[1].map(function (e) { return item(docs[e.ref % 65536], e, ix); });
      });
    }));
  }

  // Answers with the result list, a screen at a time: answer(items). A reader
  // types a query a letter at a time, and each letter is a query: once current()
  // says a newer one came, no more fragments are loaded for this one.
  function search(query, answer, current) {
    return ready().then(function (ix) {
      return rewriteQuery(query).then(function (rewritten) {
        var found = clauses(rewritten, ix.separator);
        return Promise.all(found.map(function (c) {
          return matches(c.term, c.prefix).then(function (m) {
            c.n = m.n;
            c.docs = m.docs;
            return c;
          });
        }));
      }).then(function (scored) {
        var pages = scored.length ? rank(scored, ix) : [];
        if (!current()) return undefined;
        return shown(pages.slice(0, SCREEN_PAGES), ix).then(function (first) {
          answer(first);
          if (pages.length <= SCREEN_PAGES || !current()) return undefined;
          return shown(pages.slice(SCREEN_PAGES), ix).then(function (rest) {
            answer(first.concat(rest));
          });
        });
      });
    });
  }

  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === SETUP) {
      config = message.data.config;
      index = null;
      // Loads the manifest now, while the reader has yet to type.
      ready().catch(function () { return undefined; });
      postMessage({ type: READY });
      return undefined;
    }
    if (message.type !== QUERY) return undefined;
    var asked = ++latest;
    var answered = false;
    function current() { return asked === latest; }
    return search(message.data, function (items) {
      if (!current()) return;
      answered = true;
      postMessage({ type: RESULT, data: { items: items } });
    }, current).catch(function (error) {
      console.warn("ko-search: " + (error && error.message));
      // A first screen already shown stays; otherwise the list empties.
      if (asked === latest && !answered) postMessage({ type: RESULT, data: { items: [] } });
    });
  });
})();
