// A link of a page's text to a post or note shows that page's title and first
// paragraph in a tooltip (WAI-ARIA APG tooltip pattern): on mouse hover after a
// short delay, or at once on keyboard focus. plugins/kb-links/ marks those links
// with data-kb-preview, the address of the target's small JSON file on this
// site, fetched the first time it is wanted. The tooltip floats over the page
// (position: absolute, nothing moves), stays while the pointer is on it (WCAG
// 1.4.13), and Escape closes it. A touch or a click changes nothing: a tap
// follows the link as before. Listeners sit on the document, so content that
// Material replaces keeps working.
(() => {
  const LINKS = ".md-content article a[data-kb-preview]";
  const HOVER_DELAY_MS = 300;
  const LEAVE_DELAY_MS = 200;
  const GAP_PX = 6;
  const previews = new Map();
  let tooltip = null;
  let wanted = null;
  let shownFor = null;
  let showTimer = 0;
  let hideTimer = 0;

  const preview = (link) => {
    const address = new URL(link.dataset.kbPreview, document.baseURI).href;
    if (!previews.has(address)) {
      const fetched = fetch(address)
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null);
      previews.set(address, fetched);
    }
    return previews.get(address);
  };

  const tooltipElement = () => {
    if (tooltip === null) {
      tooltip = document.createElement("div");
      tooltip.id = "kb-preview";
      tooltip.className = "kb-preview";
      tooltip.setAttribute("role", "tooltip");
      tooltip.hidden = true;
      tooltip.addEventListener("pointerover", () => clearTimeout(hideTimer));
      tooltip.addEventListener("pointerout", (event) => {
        if (!tooltip.contains(event.relatedTarget)) hideSoon();
      });
      // In the main landmark, where its text belongs (axe: region).
      (document.querySelector("main") || document.body).append(tooltip);
    }
    return tooltip;
  };

  // Under the link, or over it when the screen has no room below; never past
  // the screen's sides (the viewport without its scroll bar).
  const place = (link) => {
    const { clientWidth: width, clientHeight: height } = document.documentElement;
    // Measured at the left edge, where the text wraps only at the tooltip's own width.
    tooltip.style.left = "0px";
    tooltip.style.top = "0px";
    const box = tooltip.getBoundingClientRect();
    const rects = link.getClientRects();
    const first = rects[0];
    const last = rects[rects.length - 1];
    const margin = 8;
    const left = Math.max(margin, Math.min(first.left, width - box.width - margin));
    const below = last.bottom + GAP_PX;
    const top = below + box.height <= height || first.top - GAP_PX - box.height < 0
      ? below
      : first.top - GAP_PX - box.height;
    // From the box it is positioned in (Material's body is position: relative).
    const origin = tooltip.offsetParent.getBoundingClientRect();
    tooltip.style.left = `${left - origin.left}px`;
    tooltip.style.top = `${top - origin.top}px`;
  };

  const show = async (link) => {
    clearTimeout(hideTimer);
    wanted = link;
    if (shownFor === link) return;
    const data = await preview(link);
    // Left, dismissed or replaced while the preview came in.
    if (wanted !== link || !data || !link.isConnected) return;
    conceal();
    const element = tooltipElement();
    const title = document.createElement("p");
    title.className = "kb-preview__title";
    title.textContent = data.title;
    const text = document.createElement("p");
    text.textContent = data.text;
    element.replaceChildren(title, text);
    element.hidden = false;
    place(link);
    link.setAttribute("aria-describedby", element.id);
    shownFor = link;
  };

  // Hides the tooltip and forgets the link still waiting for its preview.
  const hide = () => {
    wanted = null;
    conceal();
  };

  const conceal = () => {
    if (shownFor === null) return;
    shownFor.removeAttribute("aria-describedby");
    tooltip.hidden = true;
    shownFor = null;
  };

  // Time for the pointer to cross from the link to the tooltip (WCAG 1.4.13).
  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, LEAVE_DELAY_MS);
  };

  const hideNow = () => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hide();
  };

  const markedLink = (target) => (target instanceof Element ? target.closest(LINKS) : null);

  // A mouse only: a touch's pointer events come with the tap that follows the link.
  document.addEventListener("pointerover", (event) => {
    const link = markedLink(event.target);
    if (link === null || event.pointerType !== "mouse") return;
    if (link === shownFor) {
      clearTimeout(hideTimer);
      return;
    }
    clearTimeout(showTimer);
    showTimer = setTimeout(() => show(link), HOVER_DELAY_MS);
  });
  document.addEventListener("pointerout", (event) => {
    const link = markedLink(event.target);
    if (link === null || link.contains(event.relatedTarget)) return;
    clearTimeout(showTimer);
    if (tooltip !== null && tooltip.contains(event.relatedTarget)) return;
    hideSoon();
  });

  // Keyboard focus only: a link focused by a click or a tap is not :focus-visible.
  document.addEventListener("focusin", (event) => {
    const link = markedLink(event.target);
    if (link !== null && link.matches(":focus-visible")) show(link);
  });
  document.addEventListener("focusout", (event) => {
    const link = markedLink(event.target);
    if (link !== null && (link === wanted || link === shownFor)) hideNow();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && (wanted !== null || shownFor !== null)) hideNow();
  });
})();
