// Where the lines of a page's Korean text break, as Chromium laid them out.
// Called in the page with the selector of the parts to measure (the article
// when none is given); returns
//   {blocks, words, notKeepAll: [...], midWord: [...]}
// notKeepAll: elements holding Korean text whose word-break is not keep-all.
// midWord: breaks inside a space-separated word with a letter or digit on
// both sides and Hangul on at least one (리|눅스, endbr64|가). Breaks after a
// hyphen, slash, bracket or other punctuation are not counted.
(roots) => {
  const HANGUL = /[\uac00-\ud7a3]/;
  const LETTER = /[\p{L}\p{N}]/u;
  const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, figcaption, summary";
  const SKIPPED = "pre, script, style, .headerlink, .md-code__nav";

  const sameLine = (a, b) => Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);
  const describe = (element) =>
    `${element.tagName.toLowerCase()}${element.className ? "." + element.className.trim().split(/\s+/).join(".") : ""}`;

  // The first visible box of one character, or null.
  function charBox(node, offset) {
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + 1);
    return [...range.getClientRects()].find((r) => r.width > 0 && r.height > 0) || null;
  }

  // Playwright passes null, not undefined, when given no argument.
  const blocks = [...document.querySelectorAll(roots || ".md-content .md-typeset")]
    .flatMap((typeset) => [...typeset.querySelectorAll(BLOCKS)])
    .filter((block) => !block.closest(SKIPPED) && block.getClientRects().length > 0);
  const notKeepAll = new Map();
  const midWord = [];
  let words = 0;

  for (const block of blocks) {
    // The block's own text: nested blocks (a list inside a list item) are their own.
    const chars = [];
    let text = "";
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest(SKIPPED) || parent.closest(BLOCKS) !== block) continue;
      if (HANGUL.test(node.data) && getComputedStyle(parent).wordBreak !== "keep-all")
        notKeepAll.set(parent, `${describe(parent)} (${getComputedStyle(parent).wordBreak}): ${node.data.trim().slice(0, 40)}`);
      for (let i = 0; i < node.data.length; i++) chars.push([node, i]);
      text += node.data;
    }
    for (const match of text.matchAll(/\S+/g)) {
      const word = match[0];
      if (!HANGUL.test(word)) continue;
      words++;
      let previous = null;
      for (let i = 0; i < word.length; i++) {
        const box = charBox(...chars[match.index + i]);
        if (!box) continue;
        if (previous && !sameLine(previous.box, box)) {
          const before = word[previous.index];
          const after = word[i];
          if (LETTER.test(before) && LETTER.test(after) && (HANGUL.test(before) || HANGUL.test(after)))
            midWord.push(`${word.slice(0, i)}|${word.slice(i)} (in ${describe(block)})`);
        }
        previous = { box, index: i };
      }
    }
  }
  return { blocks: blocks.length, words, notKeepAll: [...notKeepAll.values()], midWord };
}
