// Small enhancements only; every page works without this file.
// Ask once before dangerous actions (forms marked data-confirm).
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// Show that an upload is in progress (imports can take a few seconds).
document.addEventListener("submit", function (e) {
  if (e.target.enctype === "multipart/form-data") {
    var b = e.target.querySelector("button[type=submit]");
    if (b) { b.disabled = true; if (b.getAttribute("data-busy")) { b.textContent = b.getAttribute("data-busy"); } }
  }
});
