// Small behaviours for every page (base.html), in a file so the Content-Security-Policy can
// forbid inline scripts and event-handler attributes (script-src 'self').
// A page answered to a POST (a form refused, shown again with its errors) takes the address of
// the page the form belongs to, and the history entry loses its POST: a refresh shows that page
// again instead of re-sending the form (issue #12). The server names the page in
// <meta name="huoban-page-url">; without JavaScript the browser asks before re-sending.
(function () {
  var meta = document.querySelector("meta[name='huoban-page-url']");
  if (meta && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", meta.getAttribute("content") || window.location.href);
  }
})();
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
