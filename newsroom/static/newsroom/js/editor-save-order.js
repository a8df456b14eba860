// The page editor's buttons (保存草稿, 提交…) wait for an autosave that is already under way, and no
// autosave starts once a button has been pressed. The server then sees one sequence: the autosave,
// then the button's save (which on a new article goes to the article the autosave has just created).
// Without this, a late autosave can land after the button's save and overwrite it, or create the
// article a second time under the same slug.
const keepButtonSavesAfterAutosave = () => {
  "use strict";

  const form = document.querySelector("form[data-edit-form]");
  if (!form) {
    return;
  }
  // Never hold a button press longer than this, even if an autosave's answer never arrives.
  const LONGEST_WAIT_MS = 20000;

  let inFlight = 0;
  let waiting = [];
  let buttonPressed = false;
  let resubmitting = false;

  const settled = () => {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0) {
      waiting.splice(0).forEach((resolve) => resolve());
    }
  };
  const autosavesSettled = () =>
    inFlight === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, LONGEST_WAIT_MS);
        });

  form.addEventListener("w-autosave:save", (event) => {
    if (buttonPressed) {
      // Cancelling the event stops this autosave before it is sent.
      event.preventDefault();
      return;
    }
    inFlight += 1;
  });
  form.addEventListener("w-autosave:success", settled);
  form.addEventListener("w-autosave:error", settled);

  // Capture on the form runs before Wagtail's own submit handlers, so a held press reaches none of them.
  form.addEventListener(
    "submit",
    (event) => {
      buttonPressed = true;
      if (resubmitting || inFlight === 0) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      const button = event.submitter;
      autosavesSettled().then(() => {
        resubmitting = true;
        try {
          form.requestSubmit(button && button.form === form ? button : undefined);
        } finally {
          resubmitting = false;
        }
      });
    },
    { capture: true },
  );
};

// The editor's scripts load in the page's head, before the form exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", keepButtonSavesAfterAutosave);
} else {
  keepButtonSavesAfterAutosave();
}
