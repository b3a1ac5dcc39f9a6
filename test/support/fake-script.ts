/**
 * A fake document for the unit tests of the widget's script-tag transports (jsonp.ts,
 * exchange.ts): it creates `<script>` stand-ins and keeps those still in the document.
 */

/** A fake `<script>` element: records its src and nonce, and whether it is still in the document. */
export class FakeScript {
  src = '';
  nonce = '';
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(private doc: FakeDocument) {}
  /**
   * Throws when the element is not in the document, as the `remove` of pages that still
   * carry the old polyfill `this.parentElement.removeChild(this)` does.
   */
  remove() {
    if (!this.doc.scripts.includes(this)) throw new TypeError("Cannot read properties of null (reading 'removeChild')");
    this.doc.scripts = this.doc.scripts.filter((s) => s !== this);
  }
}

/** A fake document whose root element only collects script elements. */
export class FakeDocument {
  scripts: FakeScript[] = [];
  documentElement = { appendChild: (s: FakeScript) => this.scripts.push(s) };
  createElement() {
    return new FakeScript(this);
  }
}
