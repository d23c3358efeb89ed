/*
 * Jifen progressive enhancement. Every page works without this file (and without htmx).
 * - Moves focus to the error summary when a form comes back with errors (as GOV.UK does),
 *   so screen-reader users hear the problems first.
 * - Re-applies that after htmx swaps in a fragment.
 */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-module='jf-error-summary']");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
})();
