// The crawl's in-page checks (issue 19), evaluated by ioc/web/testing/crawl.py; never served to users.
// Returns {faults: [[kind, detail]...], shell: [label...]}.
(options) => {
  const faults = [];
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).slice(0, 3).join(".") : "";
    return el.tagName.toLowerCase() + id + cls;
  };
  const root = document.documentElement;
  if (!(root.getAttribute("lang") || "").trim()) { faults.push(["lang", "<html> has no lang"]); }
  if (!(document.title || "").trim()) { faults.push(["title", "the page has no <title>"]); }

  // Images that did not load (a broken-image glyph).
  for (const img of document.images) {
    const src = img.currentSrc || img.src;
    if (src && img.complete && img.naturalWidth === 0) { faults.push(["image", "did not load: " + src]); }
  }

  // Horizontal overflow of the document on a phone, with the widest culprits.
  if (options.phone && root.scrollWidth > window.innerWidth) {
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && r.width > 0 && !el.closest(".leaflet-container")) {
        const parentWide = el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1;
        if (!parentWide) { wide.push(describe(el) + " (right " + Math.round(r.right) + ")"); }
      }
    }
    faults.push(["overflow", "document " + root.scrollWidth + " px wide on a " + window.innerWidth +
      " px screen: " + wide.slice(0, 4).join(", ")]);
  }

  // Text clipped by its own box or by an ancestor that hides overflow.
  const clips = (el) => {
    const style = getComputedStyle(el);
    return ["hidden", "clip"].includes(style.overflowX) || ["hidden", "clip"].includes(style.overflowY);
  };
  const clippedBy = (rect, el) => {
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      if (box.closest(".leaflet-container") || !clips(box)) { continue; }
      const b = box.getBoundingClientRect();
      if (b.width <= 2 || b.height <= 2) { return null; }  // visually hidden on purpose (screen readers)
      const style = getComputedStyle(box);
      if (style.textOverflow === "ellipsis" && box.getAttribute("title")) { continue; }  // shortened, full text kept
      const x = ["hidden", "clip"].includes(style.overflowX);
      const y = ["hidden", "clip"].includes(style.overflowY);
      if ((x && (rect.right > b.right + 1 || rect.left < b.left - 1)) ||
          (y && (rect.bottom > b.bottom + 2 || rect.top < b.top - 2))) { return box; }
    }
    return null;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const clipped = [];
  for (let node = walker.nextNode(); node && clipped.length < 5; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName)) { continue; }
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) { continue; }  // not displayed
    if (getComputedStyle(el).visibility === "hidden") { continue; }
    const box = clippedBy(rect, el);
    if (box) { clipped.push("\"" + text.slice(0, 40) + "\" in " + describe(el) + " cut by " + describe(box)); }
  }
  for (const item of clipped) { faults.push(["clipped", item]); }

  // The shell's labels (navigation, top bar, footer, skip link), for the language check.
  const shell = new Set();
  for (const area of document.querySelectorAll("aside, header, footer, nav, .ioc-skip")) {
    const texts = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const text = node.textContent.replace(/\s+/g, " ").trim();
      if (text) { shell.add(text); }
    }
    for (const el of area.querySelectorAll("[aria-label], [title]")) {
      for (const name of ["aria-label", "title"]) {
        const text = (el.getAttribute(name) || "").trim();
        if (text) { shell.add(text); }
      }
    }
  }
  return {faults: faults, shell: Array.from(shell)};
}
