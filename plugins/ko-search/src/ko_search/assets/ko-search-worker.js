// ko-search: the search worker of the site. It rewrites the Korean words of
// each query the way a Korean reader means them, then hands every message to
// Material's own search worker, which it loads and which does all the rest.
//
// The ko-search MkDocs plugin writes this file next to Material's worker,
// with MATERIAL_WORKER filled in, and points the pages' __config at it.
"use strict";
(function () {
  var MATERIAL_WORKER = "__MATERIAL_WORKER__";

  // Material's message types (integrations/search/worker/message).
  var SETUP = 0;
  var QUERY = 2;

  // Particles and endings that follow a noun (리눅스를, 컨테이너에서는,
  // 설치했다). Material appends a wildcard to each term, so the bare noun
  // finds every form of it: 리눅스를 -> 리눅스* finds 리눅스는 too.
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

  // Every document's text, to tell a word that occurs from one that does not.
  var corpus = "";

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

  // The fewest pieces of two or more letters, each found on the site, that
  // spell word (컨테이너플랫폼: 컨테이너, 플랫폼), or null.
  function split(word) {
    var best = [[]];  // best[i]: the fewest pieces that spell word.slice(0, i)
    for (var end = 2; end <= word.length; end++) {
      for (var start = 0; start <= end - 2; start++) {
        var piece = word.slice(start, end);
        if (!best[start] || corpus.indexOf(piece) < 0) continue;
        if (!best[end] || best[start].length + 1 < best[end].length)
          best[end] = best[start].concat([piece]);
      }
    }
    return best[word.length] || null;
  }

  // Korean spacing varies: a reader may write together what a page writes
  // apart. A word of four or more letters that the site never has as typed
  // is searched as its pieces; one it has, also as the two halves it writes
  // apart somewhere (인프라엔지니어 and 인프라 엔지니어).
  function words(word) {
    if (word.length < 4) return [word];
    if (corpus.indexOf(word) < 0) return split(word) || [word];
    for (var i = 2; i <= word.length - 2; i++) {
      var left = word.slice(0, i);
      var right = word.slice(i);
      if (corpus.indexOf(left + " " + right) >= 0) return [word, left, right];
    }
    return [word];
  }

  function rewriteTerm(term) {
    var match = TERM.exec(term);
    if (!match) return term;
    var word = match[2].replace(LONE_JAMO, "");
    if (!word) return "";
    return words(stem(word.toLowerCase())).map(function (each) {
      return match[1] + each + match[3];
    }).join(" ");
  }

  function rewriteQuery(query) {
    return query.split(/(\s+)/).map(rewriteTerm).join("");
  }

  function plainText(docs) {
    return docs.map(function (doc) {
      return [doc.title, doc.text].concat(doc.tags || []).join(" ");
    }).join("\n").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").toLowerCase();
  }

  // Added before Material's worker adds its own, so it sees each message first.
  self.addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP) corpus = plainText(message.data.docs);
    if (message && message.type === QUERY && typeof message.data === "string")
      message.data = rewriteQuery(message.data);
  });

  importScripts(MATERIAL_WORKER);
})();
