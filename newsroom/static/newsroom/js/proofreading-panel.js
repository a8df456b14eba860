// 审校 side panel: while it is open, the editor's form is checked on the server once the writer pauses, and
// when the panel opens, and the panel lists what the checks find. Nothing is saved by this; the server runs
// the checks 提交审核 runs. Like Wagtail's live preview, the form is compared with what was last checked
// at an interval: the rich text editors write their hidden inputs without any event to listen to.
(() => {
  const INTERVAL_MS = 600;
  let lastSent = null;
  let previous = null;
  let latest = 0;

  const editForm = () => document.querySelector("form[data-edit-form]");
  // Looked up each time: saving the editor re-renders the panel's contents.
  const panel = () => document.querySelector("[data-proofreading-panel]");
  const isOpen = (element) => {
    const container = element.closest("[data-side-panel]");
    return !container || !container.hidden;
  };

  function formData(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") params.append(name, value); // files are not text to check
    }
    return params;
  }

  async function refresh() {
    const element = panel();
    const form = editForm();
    if (!element || !form || !element.dataset.proofreadingUrl) return;
    const params = formData(form);
    lastSent = params.toString();
    const request = ++latest;
    element.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(element.dataset.proofreadingUrl, {
        method: "POST",
        body: params,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      });
      if (request !== latest) return; // a newer check is under way
      const current = panel();
      const data = response.ok ? await response.json() : null;
      if (!data || typeof data.html !== "string") {
        // A server error is retried at the next pause; a refusal (signed out, no permission) at the next edit.
        if (response.status >= 500) lastSent = null;
        current.querySelector("[data-proofreading-error]").hidden = false;
        return;
      }
      current.querySelector("[data-proofreading-error]").hidden = true;
      current.querySelector("[data-proofreading-results]").innerHTML = data.html;
    } catch {
      // The network, or a page that is not the check's answer (the sign-in page after a session ended).
      if (request === latest) {
        const error = panel()?.querySelector("[data-proofreading-error]");
        if (error) error.hidden = false;
      }
    } finally {
      if (request === latest) panel()?.removeAttribute("aria-busy");
    }
  }

  function poll() {
    const element = panel();
    const form = editForm();
    if (!element || !form || !isOpen(element)) {
      previous = null;
      return;
    }
    const body = formData(form).toString();
    // Sent once the form has stayed the same for one interval: a pause in typing, not every keystroke.
    if (body !== lastSent && body === previous) refresh();
    previous = body;
  }

  function start() {
    const container = document.querySelector("[data-side-panel='proofreading']");
    if (!container) return;
    container.addEventListener("show", refresh);
    setInterval(poll, INTERVAL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
