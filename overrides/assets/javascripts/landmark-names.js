// Names the <nav> elements Material's bundle renders without a name: each
// code block's toolbar, each search result's tag list, and each navigation
// section that has an index page (navigation.indexes labels its <nav> with
// the icon-only expand toggle, so the name is empty). Unnamed, they repeat
// one navigation landmark (axe-core landmark-unique); the bundle has no hook
// for them, hence this observer.
(() => {
  const korean = document.documentElement.lang === "ko";
  const codeToolbar = (number) => (korean ? `코드 블록 ${number} 도구` : `Code block ${number} tools`);
  const resultTags = (title) => (korean ? `태그: ${title}` : `Tags: ${title}`);

  const nameLandmarks = () => {
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([aria-label])")) {
      const block = nav.closest("[id^='__code_']");
      const number = block ? Number(block.id.slice("__code_".length)) + 1 : "";
      nav.setAttribute("aria-label", codeToolbar(number));
    }
    for (const nav of document.querySelectorAll(".md-search-result nav.md-tags:not([aria-label])")) {
      const title = nav.parentElement.querySelector(":scope > h1, :scope > h2");
      nav.setAttribute("aria-label", resultTags(title ? title.textContent.trim() : ""));
    }
    for (const nav of document.querySelectorAll("nav.md-nav[aria-labelledby]")) {
      const label = document.getElementById(nav.getAttribute("aria-labelledby"));
      const title = nav.querySelector(":scope > .md-nav__title");
      if (label && !label.textContent.trim() && title) {
        // aria-labelledby wins over aria-label, so it has to go.
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", title.textContent.trim());
      }
    }
  };
  nameLandmarks();
  new MutationObserver(nameLandmarks).observe(document.body, { childList: true, subtree: true });
})();
