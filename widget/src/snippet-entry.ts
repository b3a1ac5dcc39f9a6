import { requestId } from './clock.js';
import { loadCrossclock } from './snippet.js';

// `document.currentScript` is only set while this inline script runs. It is read from
// Document.prototype: a named element (`<img name="currentScript">`) shadows the property
// on `document`, never the getter, which still answers this <script> itself. Through
// HTMLDocument.prototype, as the bundle does (see crossclock.ts): MooTools replaces `Document`.
loadCrossclock(window, Reflect.get(HTMLDocument.prototype, 'currentScript', document), (url) => import(url), 'CROSSCLOCK_URL/v1/', requestId());
