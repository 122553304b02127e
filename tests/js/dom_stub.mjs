// A minimal DOM, enough for a demo's mount to build its elements under Node: elements with
// attributes, children, text, dataset and listeners; document.createElement/createTextNode/
// getElementById/querySelector (one-part selectors). No layout, no events fired by itself, no CSS.
class Node {
  constructor(tag) {
    this.tagName = tag ? tag.toUpperCase() : "#text";
    this.attributes = {};
    this.children = [];
    this.dataset = {};
    this.listeners = {};
    this.text = "";
    this.value = "";
    this.hidden = false;
  }
  setAttribute(name, value) { this.attributes[name] = String(value); if (name === "id") this.id = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  appendChild(child) { this.children.push(child); return child; }
  replaceChildren(...kids) { this.children = kids; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  set textContent(text) { this.text = String(text); this.children = []; }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(""); }
  // every element below this one, depth first
  *descendants() { for (const c of this.children) { yield c; yield* c.descendants(); } }
  // selectors of one part only: tag, #id, .class or [attribute="value"]
  querySelector(selector) {
    const attr = /^\[([\w-]+)="([^"]*)"\]$/.exec(selector);
    const test = attr ? (n) => n.getAttribute && n.getAttribute(attr[1]) === attr[2]
      : selector.startsWith("#") ? (n) => n.id === selector.slice(1)
      : selector.startsWith(".") ? (n) => (n.getAttribute("class") || "").split(" ").includes(selector.slice(1))
      : (n) => n.tagName === selector.toUpperCase();
    return [...this.descendants()].find(test) || null;
  }
}

export function installDom() {
  const byId = (id) => [...body.descendants()].find((n) => n.id === id) || null;
  const body = new Node("body");
  globalThis.document = {
    body,
    baseURI: "file:///site/book/page.html",
    documentElement: { dataset: {} },
    createElement: (tag) => new Node(tag),
    createTextNode: (text) => { const n = new Node(); n.text = String(text); return n; },
    getElementById: byId,
    querySelector: () => null,
  };
  globalThis.window = globalThis;
  return { body, Node };
}

// The form controls under `root` and how each is labelled: [{tag, id, label}] where label is
// the text of the <label for=id>, or the aria-label, or null.
export function controls(root) {
  const nodes = [...root.descendants()];
  const labels = nodes.filter((n) => n.tagName === "LABEL");
  return nodes.filter((n) => ["INPUT", "SELECT", "TEXTAREA"].includes(n.tagName)).map((n) => {
    const label = labels.find((l) => n.id && l.getAttribute("for") === n.id);
    return { tag: n.tagName.toLowerCase(), id: n.id || null,
             label: label ? label.textContent : n.getAttribute("aria-label") };
  });
}
