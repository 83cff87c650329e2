"use strict";
// Lays out the scan's families and documents a page at a time from the embedded data, a family's
// occurrences when it is opened, and a document's text when it is chosen. Text goes in as textContent.
(() => {
  const data = JSON.parse(document.getElementById("data").textContent);
  const PAGE = 200;
  const filterBox = document.getElementById("filter");
  const families = document.querySelector("#families .list");
  const documents = document.querySelector("#documents .list");
  const view = document.getElementById("document");

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function percent(x) {
    return (100 * x).toFixed(1) + "%";
  }

  function template(text, slots) {
    const out = el("span", "template");
    const parts = slots ? text.split("{…}") : [text];
    parts.forEach((part, i) => {
      if (i) out.appendChild(el("span", "slot", "{…}"));
      out.appendChild(document.createTextNode(part));
    });
    return out;
  }

  function docButton(index, label, start, end) {
    const button = el("button", "doc-link", label);
    button.type = "button";
    button.dataset.doc = String(index);
    if (start !== undefined) {
      button.dataset.start = String(start);
      button.dataset.end = String(end);
    }
    return button;
  }

  function occurrences(family, details) {
    const list = el("ol", "members");
    for (const [doc, passage, start, end] of family.members) {
      const item = el("li");
      item.appendChild(docButton(doc, data.docs[doc].id + " #" + passage, start, end));
      const text = data.docs[doc].text;
      if (text !== null) item.appendChild(el("span", "excerpt", text.slice(start, end)));
      list.appendChild(item);
    }
    details.appendChild(list);
    if (family.occurrences > family.members.length) {
      details.appendChild(el("p", "more", (family.occurrences - family.members.length) +
        " more occurrences in the JSON report"));
    }
  }

  function familyItem(family) {
    const details = el("details", "family k-" + family.kind);
    details.id = family.id;
    const summary = el("summary");
    summary.appendChild(el("span", "kind", family.kind));
    summary.appendChild(el("span", "count", family.documents + " docs · " + family.occurrences + "×"));
    summary.appendChild(template(family.template, family.slots));
    details.appendChild(summary);
    if (family.why) details.appendChild(el("p", "why", "Why boilerplate: " + family.why));
    details.addEventListener("toggle", () => {
      if (details.open && !details.querySelector(".members")) occurrences(family, details);
    }, { once: false });
    return details;
  }

  function documentItem(doc, index) {
    const item = el("div", "doc-item");
    item.appendChild(docButton(index, doc.id));
    const shares = data.shareKinds.map((kind, k) => doc.shares[k] ? kind + " " + percent(doc.shares[k]) : "")
      .filter(Boolean).join(" · ");
    item.appendChild(el("span", "shares", doc.chars + " chars · " + shares));
    return item;
  }

  function paged(container, items, make) {
    container.replaceChildren();
    let shown = 0;
    const more = el("button", "more-button", "");
    more.type = "button";
    function next() {
      const end = Math.min(items.length, shown + PAGE);
      for (; shown < end; shown++) container.insertBefore(make(items[shown]), more.parentNode ? more : null);
      more.textContent = "Show " + Math.min(PAGE, items.length - shown) + " more of " + (items.length - shown);
      if (shown >= items.length) more.remove();
    }
    more.addEventListener("click", next);
    container.appendChild(more);
    next();
  }

  // The document's text, each kind's pieces as marks, and the occurrence start:end (when given) outlined.
  function show(index, start, end) {
    const doc = data.docs[index];
    view.replaceChildren(el("h3", "doc", doc.id));
    if (doc.text === null) {
      view.appendChild(el("p", "more", "The text was not kept (a cluster run): see the JSON report."));
      return;
    }
    const focus = start === undefined ? [] : [start, end];
    const cuts = Array.from(new Set([0, doc.text.length, ...focus, ...doc.spans.flatMap((s) => [s[0], s[1]])]))
      .sort((a, b) => a - b);
    const body = el("p", "text");
    let span = 0;
    let first = null;
    for (let c = 0; c + 1 < cuts.length; c++) {
      const [a, b] = [cuts[c], cuts[c + 1]];
      while (span < doc.spans.length && doc.spans[span][1] <= a) span++;
      const kind = span < doc.spans.length && doc.spans[span][0] <= a ? data.kinds[doc.spans[span][2]] : null;
      const focused = focus.length && a >= focus[0] && b <= focus[1];
      const text = doc.text.slice(a, b);
      if (!kind && !focused) {
        body.appendChild(document.createTextNode(text));
        continue;
      }
      const piece = el(kind ? "mark" : "span", (kind ? "k-" + kind : "") + (focused ? " focus" : ""), text);
      if (kind) piece.title = kind;
      body.appendChild(piece);
      if (focused && !first) first = piece;
    }
    view.appendChild(body);
    (first || view).scrollIntoView({ block: first ? "center" : "start" });
  }

  function render() {
    const query = filterBox.value.trim().toLowerCase();
    const hit = (text) => text.toLowerCase().includes(query);
    const fams = query ? data.families.filter((f) => hit(f.template) || f.members.some((m) => hit(data.docs[m[0]].id)))
      : data.families;
    const docs = data.docs.map((doc, i) => [doc, i]).filter(([doc]) => !query || hit(doc.id) || (doc.text !== null && hit(doc.text)));
    document.querySelector("#families .count").textContent = "(" + fams.length + " of " + data.families.length + ")";
    document.querySelector("#documents .count").textContent = "(" + docs.length + " of " + data.docs.length + ")";
    paged(families, fams, familyItem);
    paged(documents, docs, ([doc, i]) => documentItem(doc, i));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.doc-link");
    if (button) {
      const { doc, start, end } = button.dataset;
      show(Number(doc), start === undefined ? undefined : Number(start), end === undefined ? undefined : Number(end));
    }
  });
  let timer = 0;
  filterBox.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 150);
  });
  render();
})();
