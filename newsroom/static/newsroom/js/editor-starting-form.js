// The editor takes its starting form once, so the first change after opening is autosaved.
//
// Wagtail's edit form starts with data-controller="w-init w-unsaved w-autosave". Once the comments have
// loaded, w-init removes its own name from that list; Stimulus then sees every name after the first one
// change, and disconnects and reconnects w-unsaved and w-autosave. Reconnected, w-unsaved schedules a
// second snapshot of the starting form, about half a second after the first on a long article. A change
// made between the two becomes part of the starting form: it is never autosaved, and leaving the page
// without saving gives no warning. With w-init named last, removing it leaves the others connected.
(() => {
  "use strict";

  const nameInitLast = () => {
    for (const form of document.querySelectorAll("form[data-edit-form]")) {
      const names = (form.getAttribute("data-controller") || "").split(/\s+/).filter(Boolean);
      if (names.includes("w-init")) {
        form.setAttribute("data-controller", [...names.filter((name) => name !== "w-init"), "w-init"].join(" "));
      }
    }
  };

  // Only before Wagtail's controllers connect (at DOMContentLoaded): renaming a connected form's
  // controllers would itself reconnect them. "interactive" comes before DOMContentLoaded.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", nameInitLast, { once: true });
  }
})();
