/* Behaviour shared by every page, kept out of the HTML so that the Content-Security-Policy can
   forbid inline script (docs/decisions/0008-security-headers-and-csp.md).

   <select data-autosubmit>  submits its form when the choice changes (identity switch, period
                             pickers); a <noscript> button beside it serves those without script. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLSelectElement) || !field.hasAttribute("data-autosubmit")) return;
    if (!field.form) return;
    if (typeof field.form.requestSubmit === "function") field.form.requestSubmit();
    else field.form.submit();
  });
})();
