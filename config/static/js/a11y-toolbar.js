/* 无障碍/适老化 toolbar: 大字 (two steps), 高对比度, 阅读辅助线, 长者模式.
 *
 * Loaded without defer from <head>, so the reader's saved choice is on <html> before the first paint (no flash of
 * small text). The choice is kept in this browser only (localStorage): the server never sees it, so the HTML stays
 * the same for every reader and the page cache keeps serving it. Without this script the page is the plain site.
 */
(function () {
    "use strict";

    var KEY = "qingshan-a11y";
    var root = document.documentElement;
    var DEFAULTS = { text: 0, contrast: false, guide: false, elder: false };

    function load() {
        var saved = {};
        try {
            saved = JSON.parse(window.localStorage.getItem(KEY)) || {};
        } catch (error) {
            // Storage blocked (privacy settings) or a damaged value: start from the plain site.
        }
        return {
            text: saved.text === 1 || saved.text === 2 ? saved.text : 0,
            contrast: saved.contrast === true,
            guide: saved.guide === true,
            elder: saved.elder === true,
        };
    }

    function save(state) {
        try {
            window.localStorage.setItem(KEY, JSON.stringify(state));
        } catch (error) {
            // Storage blocked: the choice still holds for this page.
        }
    }

    function apply(state) {
        if (state.text) {
            root.setAttribute("data-a11y-text", String(state.text));
        } else {
            root.removeAttribute("data-a11y-text");
        }
        root.classList.toggle("a11y-contrast", state.contrast);
        root.classList.toggle("a11y-guide", state.guide);
        root.classList.toggle("a11y-elder", state.elder);
    }

    var state = load();
    root.classList.add("a11y-js");
    apply(state);

    function showPressed(toolbar) {
        toolbar.querySelectorAll("[data-a11y-text]").forEach(function (button) {
            button.setAttribute("aria-pressed", String(Number(button.getAttribute("data-a11y-text")) === state.text));
        });
        toolbar.querySelectorAll("[data-a11y-toggle]").forEach(function (button) {
            button.setAttribute("aria-pressed", String(state[button.getAttribute("data-a11y-toggle")]));
        });
    }

    function setUpGuide() {
        // One line across the page that follows the pointer, for keeping one's place in a long text.
        var guide = document.createElement("div");
        guide.className = "a11y-guide-line";
        guide.setAttribute("aria-hidden", "true");
        document.body.appendChild(guide);
        document.addEventListener(
            "pointermove",
            function (event) {
                guide.style.top = event.clientY + "px";
            },
            { passive: true },
        );
    }

    function setUpToolbar() {
        var toolbar = document.querySelector(".a11y-toolbar");
        if (!toolbar) {
            return;
        }
        toolbar.hidden = false;
        showPressed(toolbar);
        setUpGuide();
        toolbar.addEventListener("click", function (event) {
            var button = event.target.closest("button");
            if (!button) {
                return;
            }
            if (button.hasAttribute("data-a11y-text")) {
                var step = Number(button.getAttribute("data-a11y-text"));
                state.text = state.text === step ? 0 : step;
            } else if (button.hasAttribute("data-a11y-toggle")) {
                var mode = button.getAttribute("data-a11y-toggle");
                state[mode] = !state[mode];
            } else if (button.hasAttribute("data-a11y-reset")) {
                state = Object.assign({}, DEFAULTS);
            }
            apply(state);
            save(state);
            showPressed(toolbar);
        });
        // Another tab changed the choice: follow it, so the reader's tabs agree.
        window.addEventListener("storage", function (event) {
            if (event.key === KEY) {
                state = load();
                apply(state);
                showPressed(toolbar);
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUpToolbar);
    } else {
        setUpToolbar();
    }
})();
