// Small behaviours for every page (base.html), in a file so the Content-Security-Policy can
// forbid inline scripts and event-handler attributes (script-src 'self').
document.addEventListener("DOMContentLoaded", function () {
  // <select data-autosubmit>: submit its form when the choice changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });
  // <input type=checkbox data-check-all="NAME">: tick or untick every NAME box of its form.
  document.addEventListener("click", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.checkAll || !box.form) return;
    box.form.querySelectorAll("input[name='" + box.dataset.checkAll + "']").forEach(function (b) {
      b.checked = box.checked;
    });
  });
});
