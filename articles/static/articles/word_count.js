// 字数 in the article editor, recounted as the reporter types. The counting rule (which characters
// make a word) comes from the server in data-word-count-pattern, so Python counts the same way.
(() => {
  // The body's reader-visible text: rich-text paragraphs, then headings, quotes and captions.
  const RICH_TEXT = ".public-DraftEditor-content";
  const PLAIN_FIELDS = [
    "input[name$='-value-text']",
    "textarea[name$='-value-text']",
    "input[name$='-value-caption']",
  ].join(",");

  const isDeleted = (element) => {
    const child = element.closest("[data-streamfield-child]");
    const deleted = child && child.querySelector(":scope > input[name$='-deleted']");
    return Boolean(deleted && deleted.value === "1");
  };

  const texts = (form) => {
    const found = [];
    for (const name of ["title", "summary"]) {
      const field = form.elements.namedItem(name);
      if (field && "value" in field) found.push(field.value);
    }
    const body = form.querySelector("[data-contentpath='body']");
    if (body) {
      for (const editor of body.querySelectorAll(RICH_TEXT)) {
        if (!isDeleted(editor)) found.push(editor.innerText);
      }
      for (const field of body.querySelectorAll(PLAIN_FIELDS)) {
        if (!isDeleted(field)) found.push(field.value);
      }
    }
    return found;
  };

  const start = (counter) => {
    const form = counter.closest("form");
    const output = counter.querySelector("[data-word-count-value]");
    if (!form || !output) return;
    const pattern = new RegExp(counter.dataset.wordCountPattern, counter.dataset.wordCountFlags);
    let scheduled = false;
    const update = () => {
      scheduled = false;
      let count = 0;
      for (const text of texts(form)) count += (text.match(pattern) || []).length;
      // Writing the same number again would be a change for the observer below.
      if (output.textContent !== String(count)) output.textContent = String(count);
    };
    const schedule = () => {
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(update);
      }
    };
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    // The rich-text editor redraws its text itself rather than through input events, and blocks are
    // added and removed by script: watch the body for changes too.
    const watched = form.querySelector("[data-contentpath='body']") || form;
    new MutationObserver(schedule).observe(watched, { subtree: true, childList: true, characterData: true });
    update();
  };

  const startAll = () => document.querySelectorAll("[data-word-count]").forEach(start);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
