/**
 * Decision-tree walker: turns each `.dt` block the build wrote (a flowchart plus one section
 * per node, whose answer links already work without JavaScript) into a walk of one question
 * at a time. It reads everything from that markup and writes text with textContent only.
 *
 * Every step has a URL: `?dt-T=I.J.K#T--N`, the answer indices chosen from the start, then
 * the current node's anchor. A walk that began elsewhere (a search hit or a click on the
 * chart) names its first node before a tilde: `?dt-T=N~I.J#T--M`, or `?dt-T=N~#T--N` before
 * any answer. A bare `#T--N` (a search hit, a link) shows N with no answers so far. The query, not the hash, is the source of truth, because Material's
 * anchor tracking rewrites the hash as the reader scrolls.
 */

const walkers = new Set();
// The walk of each tree on the page shown. Material swaps in a fresh copy of the same page
// after some in-page links (with a URL that lost the walk), and the reader keeps the walk.
const walks = new Map();
let shown = null;

/** Enhance every decision tree under `root` that is not enhanced yet. */
export function enhance(root = document) {
  for (const w of walkers) if (!w.el.isConnected) walkers.delete(w);
  if (shown !== location.pathname) walks.clear();
  shown = location.pathname;
  for (const el of root.querySelectorAll(".dt[data-dt]")) {
    if (el.classList.contains("dt-js")) continue; // never attach twice
    try {
      walkers.add(new Walker(el));
    } catch (error) {
      // Markup this module cannot read keeps its no-JS form rather than breaking the page.
      el.classList.remove("dt-js");
      el.querySelector(".dt-walker")?.setAttribute("hidden", "");
      console.error("decision tree", el.id, error);
    }
  }
}

const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");

/** Create an element; string children become text nodes, never markup. */
function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...kids);
  return el;
}

/** A copy of a node the build rendered, without ids that would now appear twice. */
function copy(el) {
  if (!el) return "";
  const c = el.cloneNode(true);
  c.removeAttribute("id");
  for (const x of c.querySelectorAll("[id]")) x.removeAttribute("id");
  return c;
}

/** The tree as the build wrote it: id, start, title, heading level and nodes keyed by id. */
export function readTree(el) {
  const nodes = new Map();
  for (const s of el.querySelectorAll(".dt-steps > .dt-step")) {
    const head = s.querySelector(".dt-step-title");
    nodes.set(s.dataset.node, {
      id: s.dataset.node,
      section: s,
      title: text(head),
      outcome: s.classList.contains("dt-step-outcome"),
      answers: [...s.querySelectorAll(".dt-answer")].map((a) => ({
        label: text(a),
        next: a.dataset.next,
      })),
    });
  }
  if (!nodes.has(el.dataset.dtStart)) throw new Error("no start node");
  // The walker's heading sits one level below the page's heading before the tree, so the
  // outline stays in order wherever the writer put the tree.
  const scope = el.closest("article") || document.body;
  const before = [...scope.querySelectorAll("h1, h2, h3, h4, h5")].filter(
    (x) => x.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && !x.closest(".dt"),
  );
  const level = before.length
    ? `H${Number(before.at(-1).tagName[1]) + 1}`
    : el.querySelector(".dt-step-title").tagName;
  const title = text(el.querySelector(".dt-title"));
  return { id: el.dataset.dt, start: el.dataset.dtStart, title, level, nodes };
}

/** Follow `answers` (indices) from node `origin`; stops where an index leads nowhere. */
export function walk(tree, origin, answers) {
  let node = tree.nodes.get(origin);
  if (!node) return null;
  const steps = [];
  for (const i of answers) {
    const a = node.answers[i];
    if (!a || !tree.nodes.has(a.next)) break;
    steps.push({ node, answer: i });
    node = tree.nodes.get(a.next);
  }
  return { origin, steps, node };
}

const indices = (state) => state.steps.map((s) => s.answer);

/** The walk a URL names for this tree, and whether the reader should land on it. */
export function fromUrl(tree, url) {
  const raw = new URLSearchParams(url.search).get(`dt-${tree.id}`);
  let hash = "";
  try {
    hash = decodeURIComponent(url.hash.slice(1));
  } catch {} // a malformed hash names no node
  const prefix = `${tree.id}--`;
  const anchor = hash.startsWith(prefix) && tree.nodes.has(hash.slice(prefix.length))
    ? hash.slice(prefix.length)
    : null;
  let state = walk(tree, tree.start, []);
  if (raw !== null) {
    const [origin, list] = raw.includes("~") ? raw.split("~") : [tree.start, raw];
    const chosen = list ? list.split(".").map((n) => (/^\d+$/.test(n) ? Number(n) : -1)) : [];
    state = walk(tree, origin, chosen) || state;
  }
  if (anchor && anchor !== state.node.id) {
    // The hash names another node: go back to it if it is on the path, else show it alone.
    const k = state.steps.findIndex((s) => s.node.id === anchor);
    state = k >= 0 ? walk(tree, state.origin, indices(state).slice(0, k)) : walk(tree, anchor, []);
  }
  // Where several trees share a URL, the hash says which one the reader was last walking.
  const named = anchor !== null || (raw !== null && !url.hash.includes("--"));
  return { state, named, mentioned: anchor !== null || raw !== null };
}

/** The URL of a step, keeping every query parameter that is not this tree's. */
export function toUrl(tree, state, href = location.href) {
  const url = new URL(href);
  const key = `dt-${tree.id}`;
  const parts = url.search.slice(1).split("&").filter((p) => p && p.split("=")[0] !== key);
  // A walk from elsewhere keeps its first node in the query even with no answers yet: the
  // hash alone would not survive Material's anchor tracking.
  const from = state.origin === tree.start ? "" : `${state.origin}~`;
  if (from || state.steps.length) parts.push(`${key}=${from}${indices(state).join(".")}`);
  url.search = parts.length ? `?${parts.join("&")}` : "";
  url.hash = `${tree.id}--${state.node.id}`;
  return url.href;
}

const key = (state) => `${state.origin}~${indices(state).join(".")}`;

class Walker {
  constructor(el) {
    this.el = el;
    this.tree = readTree(el);
    this.path = location.pathname;
    el.classList.add("dt-js");
    const box = el.querySelector(".dt-walker");
    this.live = h("p", { class: "dt-sr", "aria-live": "polite" });
    this.trail = h("ol", { class: "dt-trail", "aria-label": "Your answers so far" });
    this.stage = h("div", { class: "dt-stage" });
    this.restart = this.button("Start again", "dt-again", () =>
      this.go(walk(this.tree, this.tree.start, [])),
    );
    this.copier = this.button("Copy decision record", "dt-copy", () => this.copy());
    this.status = h("span", { class: "dt-status", role: "status" });
    this.tools = h("div", { class: "dt-tools" }, this.restart, " ", this.copier, " ", this.status);
    box.replaceChildren(this.live, this.trail, this.stage, this.tools);
    box.hidden = false;
    el.querySelector(".dt-chart")?.addEventListener("click", (e) => this.chart(e));
    el.querySelector(".dt-examples")?.addEventListener("click", (e) => this.example(e));
    const found = fromUrl(this.tree, new URL(location.href));
    let state = found.state;
    const kept = walks.get(this.tree.id);
    if (!found.mentioned && kept) {
      state = walk(this.tree, kept.origin, kept.answers) || state;
      const url = new URL(toUrl(this.tree, state));
      url.hash = location.hash;
      history.replaceState(history.state, "", url.href);
    }
    // Material may reload this page for a link to one of its steps (the query differs), and
    // its scroll tracking may rewrite the anchor meanwhile: the step shown before still has focus.
    const refocused =
      linked?.id === this.tree.id && linked.key === key(state) && performance.now() < linked.until;
    linked = null;
    this.show(state, found.named || refocused);
    if (found.named && document.readyState !== "complete") {
      // The browser's own jump to the URL's anchor comes later and takes focus away.
      addEventListener("load", () => setTimeout(() => this.refocus()), { once: true });
    }
  }

  refocus() {
    const active = document.activeElement;
    const idle = !active || active === document.body;
    if (this.heading.isConnected && idle) this.heading.focus({ preventScroll: true });
  }

  button(label, cls, act, attrs = {}) {
    const b = h("button", { type: "button", class: `dt-button ${cls}`, ...attrs }, label);
    b.addEventListener("click", act);
    return b;
  }

  /** Take a step: new URL in the history, then show it and move focus there. */
  go(state) {
    history.pushState(null, "", toUrl(this.tree, state));
    this.show(state, true);
  }

  /** Show the walk the URL names, after back or forward (`popped`) or a link to an anchor. */
  restore(popped) {
    // A page being replaced by instant navigation, or already gone, has nothing to show.
    if (!this.el.isConnected || location.pathname !== this.path) return;
    const { state, mentioned } = fromUrl(this.tree, new URL(location.href));
    // A link to another anchor of the page (the table of contents, say) leaves the walk be.
    if (!mentioned && !popped) return;
    if (key(state) !== key(this.state)) this.show(state, true);
    else this.refocus();
    if (mentioned && !popped) {
      linked = { id: this.tree.id, key: key(state), until: performance.now() + 3000 };
    }
  }

  chart(e) {
    const a = e.target.closest(".dt-node");
    if (!a) return;
    // Keep Material's instant navigation out of it: it cannot read an SVG link's href.
    e.stopPropagation();
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // a new tab or window
    e.preventDefault();
    const k = this.state.steps.findIndex((s) => s.node.id === a.dataset.node);
    if (k >= 0) this.go(walk(this.tree, this.state.origin, indices(this.state).slice(0, k)));
    else if (a.dataset.node === this.state.node.id) this.heading.focus();
    else this.go(walk(this.tree, a.dataset.node, []));
  }

  /** A worked example's link: walk the example's answers as far as that link's step. */
  example(e) {
    const a = e.target.closest("a[data-walk]");
    if (!a) return;
    e.stopPropagation(); // Material's instant navigation would load the page again
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const given = a.dataset.walk;
    this.go(walk(this.tree, this.tree.start, given ? given.split(".").map(Number) : []));
  }

  show(state, focus) {
    const { node, steps } = state;
    this.state = state;
    walks.set(this.tree.id, { origin: state.origin, answers: indices(state) });
    this.trail.replaceChildren(
      ...steps.map((s, k) =>
        h(
          "li",
          {},
          h(
            "span",
            { class: "dt-said" },
            h("span", { class: "dt-q" }, s.node.title),
            " ",
            h("span", { class: "dt-a" }, s.node.answers[s.answer].label),
          ),
          " ",
          this.button(
            "Change",
            "dt-change",
            () => this.go(walk(this.tree, state.origin, indices(state).slice(0, k))),
            { "aria-label": `Change your answer to “${s.node.title}”` },
          ),
        ),
      ),
    );
    this.trail.hidden = !steps.length;
    this.heading = h(this.tree.level, { class: "dt-walker-title", tabindex: "-1" }, node.title);
    const sec = node.section;
    const verdict = [...sec.classList].find((c) => c.startsWith("dt-verdict-"));
    this.stage.className = `dt-stage ${verdict || ""}`;
    if (node.outcome) {
      this.stage.replaceChildren(
        this.heading,
        copy(sec.querySelector(".dt-verdict")),
        copy(sec.querySelector(".dt-body")),
        copy(sec.querySelector(".dt-read")),
      );
      this.live.textContent = `Outcome: ${node.title}. ${text(sec.querySelector(".dt-verdict"))}`;
    } else {
      const list = h("ul", { class: "dt-choices" });
      node.answers.forEach((a, i) => {
        const go = () => this.go(walk(this.tree, state.origin, [...indices(state), i]));
        list.append(h("li", {}, this.button(a.label, "dt-choice", go)));
      });
      this.stage.replaceChildren(this.heading, copy(sec.querySelector(".dt-help")), list);
      this.live.textContent = `Question ${steps.length + 1}: ${node.title}`;
    }
    this.restart.hidden = !steps.length && state.origin === this.tree.start;
    this.copier.hidden = !node.outcome;
    this.status.textContent = "";
    this.tools.querySelector("textarea")?.remove();
    this.paint();
    if (focus) this.heading.focus();
    this.pan(focus);
  }

  /** Scroll the chart's frame so the current box is in the part of the frame on screen, a
   * little above its middle, where the answers leading on show too. After a step (`moved`),
   * a frame that sticks beside the walker is first brought fully on screen, as far as that
   * keeps the new question in view. */
  pan(moved) {
    const frame = this.el.querySelector(".dt-chart");
    const box = frame?.querySelector(".dt-node.is-current");
    if (!box || !frame.clientHeight) return;
    const style = getComputedStyle(frame);
    if (moved && style.position === "sticky") {
      const stuck = parseFloat(style.top) || 0;
      const by = Math.min(frame.getBoundingClientRect().top, this.heading.getBoundingClientRect().top);
      if (by > stuck) scrollBy(0, by - stuck);
    }
    const f = frame.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    const top = Math.max(f.top, 0);
    const room = Math.max(Math.min(f.bottom, innerHeight) - top, b.height);
    frame.scrollTo({
      left: frame.scrollLeft + b.left - f.left - (f.width - b.width) / 2,
      top: frame.scrollTop + b.top - top - Math.min(room / 4, (room - b.height) / 2),
      behavior: moved && !matchMedia("(prefers-reduced-motion: reduce)").matches ? "smooth" : "auto",
    });
  }

  /** Mark the path taken on the flowchart. */
  paint() {
    const { node, steps } = this.state;
    const seen = new Set(steps.map((s) => s.node.id));
    const taken = new Set(steps.map((s) => `${s.node.id} ${s.answer}`));
    for (const n of this.el.querySelectorAll(".dt-node")) {
      const id = n.dataset.node;
      n.classList.toggle("is-visited", seen.has(id));
      n.classList.toggle("is-current", id === node.id);
      if (id === node.id) n.setAttribute("aria-current", "step");
      else n.removeAttribute("aria-current");
    }
    for (const e of this.el.querySelectorAll(".dt-edge")) {
      e.classList.toggle("is-path", taken.has(`${e.dataset.from} ${e.dataset.answer}`));
    }
  }

  /** The walk as an entry for a client's decision log (docs/service/recording-decisions.md):
   * the lines a person fills in, then the walk. */
  record() {
    const { node, steps } = this.state;
    const sec = node.section;
    const lines = ["Date:", "Client:", "Decided by:", "Why:", "Told the client:", "Review on:", ""];
    lines.push(this.tree.title, "");
    steps.forEach((s, k) => {
      lines.push(`${k + 1}. ${s.node.title}`, `   Answer: ${s.node.answers[s.answer].label}`);
    });
    if (steps.length) lines.push("");
    lines.push(`Outcome: ${node.title}`, `Verdict: ${text(sec.querySelector(".dt-verdict"))}`);
    for (const a of sec.querySelectorAll(".dt-read a[href]")) {
      lines.push(`Read next: ${text(a)} <${new URL(a.getAttribute("href"), location.href).href}>`);
    }
    lines.push("", `Link to this step: ${toUrl(this.tree, this.state)}`);
    return `${lines.join("\n")}\n`;
  }

  async copy() {
    const record = this.record();
    let copied = false;
    try {
      await navigator.clipboard.writeText(record);
      copied = true;
    } catch {
      copied = legacyCopy(record);
      this.copier.focus();
    }
    if (copied) {
      this.status.textContent = "Decision record copied";
      clearTimeout(this.timer);
      this.timer = setTimeout(() => (this.status.textContent = ""), 6000);
      return;
    }
    // No way to write the clipboard here: show the record selected, for the reader to copy.
    const area = h("textarea", {
      class: "dt-record",
      readonly: "",
      rows: "8",
      "aria-label": "Decision record",
    });
    area.value = record;
    this.status.textContent = "Copy the text below";
    this.tools.append(area);
    area.select();
  }
}

/** Copy through a hidden text area, for browsers without the Clipboard API. */
function legacyCopy(value) {
  // Off screen but laid out as text: a collapsed white-space style would eat the indents.
  const area = h("textarea", { readonly: "", style: "position:fixed;top:0;left:-99em" });
  area.value = value;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {}
  area.remove();
  return ok;
}

/** The step a link last showed, until the next walker starts: see the Walker constructor. */
let linked = null;
const restore = (popped) => walkers.forEach((w) => w.restore(popped));
// A jump to an anchor fires popstate too (Material makes one after each in-page link); the
// Navigation API tells a real back or forward apart. Without it, every popstate counts.
let traversing = !window.navigation;
window.navigation?.addEventListener("navigate", (e) => {
  traversing = e.navigationType === "traverse";
});
addEventListener("popstate", () => restore(traversing));
addEventListener("hashchange", () => restore(false));
// A frame that changed size (a rotated phone, a wider window) keeps the current box in view.
addEventListener("resize", () => walkers.forEach((w) => w.el.isConnected && w.pan(false)));
// Material takes over clicks on links to anchors of the same page (a search hit, a link in
// the text) and sets the URL itself, without an event; it reports each new URL on `location$`.
window.location$?.subscribe?.(() => restore(false));

// Material's instant navigation swaps pages without a reload and announces each new page on
// `document$`; without Material, start once the page is parsed.
if (window.document$?.subscribe) window.document$.subscribe(() => enhance());
else if (document.readyState === "loading") addEventListener("DOMContentLoaded", () => enhance());
else enhance();
