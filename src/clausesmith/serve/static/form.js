// clausesmith serve: reads the form back into a deal, asks the server to check it on every
// change, and shows the problems beside their fields, the guardrail findings and a preview.
// No library: the server renders the form; this file only collects, posts and shows.
"use strict";

// The token came in the address; it is a cookie now: keep it out of the address bar and history.
if (new URLSearchParams(location.search).has("token")) history.replaceState(null, "", "/");

const form = document.getElementById("deal");
const statusLine = document.getElementById("status");
const NUMBER = /^-?\d+(\.\d+)?$/;

// ---- the deal, read from the controls ------------------------------------------------

function childNodes(container) {
  // The form itself is no node: its children are the nodes with no node above them.
  const owner = container === form ? null : container;
  return Array.from(container.querySelectorAll("[data-node]")).filter(
    (el) => el.parentElement.closest("[data-node]") === owner
  );
}

function scalarValue(el) {
  const raw = el.value;
  const text = raw.trim();
  switch (el.dataset.kind) {
    case "json":
      return text === "" ? undefined : JSON.parse(text);
    case "number":
      // Sent as typed when it is not a plain number, so the validator says what to type.
      return text === "" ? undefined : NUMBER.test(text) ? Number(text) : text;
    case "lines": {
      const items = raw.split("\n").map((s) => s.trim()).filter((s) => s !== "");
      if (items.length === 0) return undefined;
      return el.dataset.item === "number"
        ? items.map((s) => (NUMBER.test(s) ? Number(s) : s))
        : items;
    }
    case "pairs": {
      const pairs = {};
      let any = false;
      for (const line of raw.split("\n")) {
        const at = line.indexOf(":");
        if (at < 0) continue;
        const key = line.slice(0, at).trim();
        const value = line.slice(at + 1).trim();
        if (key === "") continue;
        pairs[key] = NUMBER.test(value) ? Number(value) : value;
        any = true;
      }
      return any ? pairs : undefined;
    }
    default:
      return text === "" ? undefined : raw;
  }
}

function objectValue(container) {
  const none = container.querySelector(":scope > label.none > input[data-none]");
  if (none && none.checked) return null;
  const out = {};
  for (const child of childNodes(container)) {
    const value = nodeValue(child);
    if (value !== undefined) out[child.dataset.key] = value;
  }
  return out;
}

function nodeValue(el) {
  if (el.dataset.node === "scalar") return scalarValue(el);
  if (el.dataset.node === "array") {
    const rows = Array.from(el.querySelector(":scope > .rows").children);
    return rows.length === 0 ? undefined : rows.map(objectValue);
  }
  const value = objectValue(el);
  return value !== null && Object.keys(value).length === 0 ? undefined : value;
}

function theDeal() {
  const deal = {};
  for (const section of childNodes(form)) {
    const value = nodeValue(section);
    if (value !== undefined) deal[section.dataset.key] = value;
  }
  return deal;
}

// ---- where a problem goes: the key path of each control ------------------------------

function pathOf(el) {
  let path = "";
  for (let n = el; n; n = n.parentElement ? n.parentElement.closest("[data-node]") : null) {
    if (n.dataset.key) {
      path = path === "" || path.startsWith("[") ? n.dataset.key + path : n.dataset.key + "." + path;
    } else if (n.classList.contains("row")) {
      const index = Array.from(n.parentElement.children).indexOf(n);
      path = "[" + index + "]" + (path === "" || path.startsWith("[") ? path : "." + path);
    }
  }
  return path;
}

function clearProblems() {
  for (const p of form.querySelectorAll(".problem")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const extra of form.querySelectorAll(".problem.extra")) extra.remove();
}

function showProblems(problems) {
  clearProblems();
  const top = document.getElementById("problems");
  top.replaceChildren();
  const nodes = Array.from(form.querySelectorAll("[data-node]")).map((el) => [pathOf(el), el]);
  for (const problem of problems) {
    let best = null;
    for (const [path, el] of nodes) {
      if (problem.key === path || problem.key.startsWith(path + ".") || problem.key.startsWith(path + "[")) {
        if (!best || path.length > best[0].length) best = [path, el];
      }
    }
    const text = (problem.key ? problem.key + ": " : "") + problem.message;
    if (best && best[1].dataset.node === "scalar") {
      const slot = best[1].closest(".field").querySelector(".problem");
      slot.textContent = slot.textContent ? slot.textContent + " " + text : text;
      slot.hidden = false;
      best[1].setAttribute("aria-invalid", "true");
    } else if (best) {
      const slot = document.createElement("p");
      slot.className = "problem extra";
      slot.setAttribute("role", "alert");
      slot.textContent = text;
      best[1].insertBefore(slot, best[1].children[1] || null);
    } else {
      const item = document.createElement("p");
      item.className = "problem";
      item.textContent = text;
      top.append(item);
    }
  }
}

function showFindings(findings) {
  const box = document.getElementById("findings");
  box.replaceChildren();
  for (const finding of findings) {
    const item = document.createElement("p");
    item.className = "finding " + finding.severity + (finding.state ? " " + finding.state : "");
    const head = document.createElement("strong");
    head.textContent = `${finding.rule} [${finding.state || finding.severity}] ${finding.title}`;
    item.append(head, document.createTextNode(": " + finding.message));
    box.append(item);
  }
}

// ---- talking to the server -----------------------------------------------------------

async function post(path, payload) {
  return fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
    credentials: "same-origin",
  });
}

let pending = null;
let sequence = 0;

async function check() {
  const mine = ++sequence;
  statusLine.textContent = "Checking…";
  const response = await post("/api/check", { deal: theDeal() });
  if (mine !== sequence) return; // a later change is being checked
  const answer = await response.json();
  if (!response.ok) {
    statusLine.textContent = answer.error || "The check failed.";
    return;
  }
  showProblems(answer.problems);
  showFindings(answer.findings);
  const preview = document.getElementById("preview");
  if (answer.preview) {
    preview.innerHTML = answer.preview;
    preview.classList.remove("stale");
  } else {
    // Kept, but marked: it shows the last version that had no problems.
    preview.classList.add("stale");
  }
  const blocks = answer.findings.filter((f) => f.severity === "block" && !f.state).length;
  statusLine.textContent =
    answer.problems.length === 0 && blocks === 0
      ? "Checked: no problems."
      : `Checked: ${answer.problems.length} problem(s), ${blocks} block(s).`;
  scrollPreview(lastFocused);
}

function soon() {
  clearTimeout(pending);
  pending = setTimeout(check, 300);
}

// ---- the preview follows the head being edited ----------------------------------------

let lastFocused = null;
const squash = (s) => s.toLowerCase().replace(/[^a-z]/g, "");

function scrollPreview(el) {
  if (!el) return;
  const section = pathOf(el).split(/[.[]/)[0];
  const wanted = squash(section);
  if (!wanted) return;
  const cells = document.querySelectorAll("#preview td:first-child, #preview h2");
  for (const cell of cells) {
    if (squash(cell.textContent).startsWith(wanted)) {
      cell.scrollIntoView({ block: "nearest" });
      return;
    }
  }
}

// ---- rows, save, download ---------------------------------------------------------------

form.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.hasAttribute("data-add")) {
    const array = button.closest("[data-node='array']");
    const template = array.querySelector(":scope > template");
    array.querySelector(":scope > .rows").append(template.content.cloneNode(true));
    soon();
  } else if (button.hasAttribute("data-remove")) {
    button.closest(".row").remove();
    soon();
  }
});
form.addEventListener("input", soon);
form.addEventListener("change", soon);
form.addEventListener("focusin", (event) => {
  lastFocused = event.target;
  scrollPreview(event.target);
});

document.getElementById("save").addEventListener("click", async () => {
  const saveAs = document.getElementById("save-as");
  const payload = { deal: theDeal() };
  if (saveAs) payload.path = saveAs.value;
  const response = await post("/api/save", payload);
  const answer = await response.json();
  if (!response.ok) {
    statusLine.textContent = answer.error;
    return;
  }
  statusLine.textContent = "Saved to " + answer.saved + ".";
  if (saveAs) {
    // The deal has its file now: later saves go there.
    document.querySelector("label[for='save-as']").remove();
    saveAs.remove();
  }
  showProblems(answer.problems);
  showFindings(answer.findings);
});

document.getElementById("download").addEventListener("click", async () => {
  const response = await post("/api/documents", { deal: theDeal() });
  if (!response.ok) {
    const answer = await response.json();
    showProblems(answer.problems || []);
    showFindings(answer.findings || []);
    statusLine.textContent = "Not rendered: fix the problems and blocks first.";
    return;
  }
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  const disposition = response.headers.get("Content-Disposition") || "";
  link.download = (disposition.match(/filename="([^"]+)"/) || [])[1] || "documents.zip";
  link.click();
  URL.revokeObjectURL(link.href);
  statusLine.textContent = "Documents downloaded.";
});

check();
