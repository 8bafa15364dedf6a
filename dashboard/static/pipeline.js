/* Pipeline board (templates/pipeline/_board.html).
 *
 * The keyboard path needs no script: each card has a stage <select> whose
 * form posts with htmx on change. This file adds drag and drop (HTML5 drag
 * events; a drop posts through htmx.ajax and swaps in the re-rendered board),
 * shows the board that comes back with a 409 (htmx does not swap 4xx by
 * default), and puts the focus back on the moved card's menu after a swap.
 * Listeners sit on the document, so they survive the board being replaced.
 * No inline script anywhere: the CSP allows scripts from 'self' only.
 */
(function () {
  "use strict";

  var dragged = null;
  var refocus = null;

  function element(node) {
    return node && node.nodeType === 1 ? node : node && node.parentElement;
  }

  function columnOf(node) {
    var el = element(node);
    return el ? el.closest(".stage-column") : null;
  }

  function clearDropTargets() {
    document.querySelectorAll(".stage-column.drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var el = element(event.target);
    var card = el ? el.closest(".deal-card.movable") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.dealId);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearDropTargets();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (!dragged || !column) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearDropTargets();
      column.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    var card = dragged;
    if (!card || !column) return;
    event.preventDefault();
    clearDropTargets();
    if (column.dataset.stageId === card.dataset.stageId) return;
    card.classList.add("moving");
    refocus = "move-" + card.dataset.dealId;
    window.htmx.ajax("POST", card.dataset.moveUrl, {
      source: card,
      values: { stage_id: column.dataset.stageId, version: card.dataset.version },
      target: "#board",
      swap: "outerHTML"
    });
  });

  // the stage menu: remember which card to focus once the new board is in
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("move")) {
      var select = form.querySelector("select");
      refocus = select ? select.id : null;
    }
  });

  // a 409 answer is the latest board with a note saying nothing moved: show it
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 409 && target && target.id === "board") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) return;
    var select = document.getElementById(refocus);
    refocus = null;
    if (select) select.focus();
  });
})();
