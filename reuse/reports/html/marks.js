"use strict";
// Clicking a span (or Enter on it) scrolls to where it came from (opening what folds it) and flashes
// both; n and p step through the spans of the text under report (.target) in order.
(() => {
  const spans = Array.from(document.querySelectorAll(".target mark"));
  let current = -1;

  function flash(element) {
    element.classList.remove("flash");
    void element.offsetWidth; // restart the animation
    element.classList.add("flash");
  }

  function follow(mark) {
    const targets = (mark.dataset.to || "").split(" ").filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean);
    targets.forEach((target) => {
      const folded = target.closest("details");
      if (folded) {
        folded.open = true;
      }
    });
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
    if (spans.includes(mark)) {
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
