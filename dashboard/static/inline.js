/* Inline edits (dashboard/inline_edit.py): a field's value is a button that swaps in a one-field form.
 * This file lets htmx swap a 409 answer (the latest value and who changed it: nothing was overwritten),
 * puts the focus in the form when it opens and back on the value when it closes, and cancels on Escape.
 */
(function () {
  "use strict";

  function isInline(el) {
    return el && el.classList && el.classList.contains("inline");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409 && isInline(event.detail.target)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // after the settle, when htmx has wired the new content (its Cancel button): a key pressed once
  // the focus is in the form works
  document.addEventListener("htmx:afterSettle", function (event) {
    var el = event.detail.elt;
    var fresh = el && el.id ? document.getElementById(el.id) : null;
    if (!isInline(fresh)) return;
    var focus = fresh.matches("form") ? fresh.querySelector(".inline-input") : fresh.querySelector(".inline-value");
    if (focus) focus.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var form = event.target.closest("form.inline-editing");
    var cancel = form ? form.querySelector(".inline-cancel") : null;
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
