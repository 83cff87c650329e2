"use strict";
// Clicking a span (or Enter on it) scrolls the other side to where it came from and flashes both;
// n and p step through NEW's spans in order.
(() => {
  const spans = Array.from(document.querySelectorAll("#new mark"));
  let current = -1;

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("flash");
  }

  function follow(mark) {
    const targets = (mark.dataset.to || "").split(" ").filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean);
    if (targets.length) {
      targets[0].scrollIntoView({ block: "center" });
    }
    targets.forEach(flash);
    flash(mark);
  }

  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (!mark) {
      return;
    }
    if (mark.closest("#new")) {
      current = spans.indexOf(mark);
    }
    follow(mark);
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, summary")) {
      return;
    }
    if (event.key === "Enter" && event.target.matches("mark")) {
      follow(event.target);
      return;
    }
    if ((event.key !== "n" && event.key !== "p") || !spans.length) {
      return;
    }
    current = event.key === "n" ? (current + 1) % spans.length : (current - 1 + spans.length) % spans.length;
    const mark = spans[current];
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
    follow(mark);
  });
})();
