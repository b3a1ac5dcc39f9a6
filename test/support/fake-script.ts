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
  remove() {
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
