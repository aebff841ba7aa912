// Kaidian console: a little progressive enhancement; every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // Forms that do something hard to undo ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // "Select all" checkboxes for bulk actions.
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + box.getAttribute("data-select-all") + "']").forEach(function (c) { c.checked = box.checked; });
    });
  });
  // A table wider than its place (a phone, a long list of columns) scrolls
  // sideways in a box of its own instead of widening the page; without this
  // script the stylesheet makes the table itself scroll.
  document.querySelectorAll("main table").forEach(function (t) {
    var box = document.createElement("div");
    box.className = "table-scroll";
    t.parentNode.insertBefore(box, t);
    box.appendChild(t);
    t.classList.add("scrolls");
  });
  // Pages showing a job in progress (or a live flash sale) reload until it is
  // done; a form sent from such a page stops the reload, which would
  // otherwise cancel it (a reload due while a confirm prompt was open runs
  // right after the form is sent).
  var refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    var timer = setTimeout(function () { window.location.reload(); }, Number(refresh.getAttribute("data-refresh")) || 1000);
    document.addEventListener("submit", function (e) { if (!e.defaultPrevented) clearTimeout(timer); });
  }
});
