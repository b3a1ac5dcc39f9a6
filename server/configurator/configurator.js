// The embed configurator's page script: reads the controls, shows the real widget as a
// preview and the snippet in each embed form. Plain JavaScript served as is (no build step),
// and under the page's CSP (`script-src 'self'`): no inline handlers, no eval, no inline style.
// Paths are relative to the page, so the configurator also works behind a proxy that serves
// the server under a path prefix (`--public-url https://example.com/clock`).

import { zonedInstant } from './zoned.js';

/** The embed forms, as `GET /v1/snippet?form=…` names them. */
const FORMS = ['loader', 'tag', 'sri'];

const $ = (id) => document.getElementById(id);

/** Escapes text for a double-quoted HTML attribute. */
function attr(value) {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The locale if the browser knows it, else `undefined` (with `problem` saying why). */
function checkLocale(value) {
  if (!value) return { locale: undefined, problem: '' };
  try {
    if (Intl.DateTimeFormat.supportedLocalesOf(value).length) return { locale: value, problem: '' };
  } catch {
    // A malformed tag throws: reported below like an unknown one.
  }
  return { locale: undefined, problem: `"${value}" is not a locale this browser knows; the visitor's is used.` };
}

/** `t` as a `datetime-local` value in this browser's zone, to the minute. */
function localValue(t) {
  return new Date(t - new Date(t).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

const countdownMode = () => document.querySelector('input[name=mode]:checked').value === 'countdown';

/** The options the controls describe; defaults are left out, as the snippet leaves them out. */
function readOptions() {
  const o = {};
  const countdown = countdownMode();
  $('countdown-fields').hidden = !countdown;
  // Hours are a clock's; a countdown's zone only says which clocks the date and time are read on.
  $('hours').disabled = countdown;
  if (countdown) {
    const until = $('until').value && zonedInstant($('until').value, $('tz').value || undefined);
    const past = until && Date.parse(until) <= Date.now();
    $('until-problem').textContent = !until
      ? 'Choose the date and time to count down to.'
      : past
        ? 'That instant has passed: the badge shows its ended state at once.'
        : '';
    $('until').setAttribute('aria-invalid', String(!until));
    if (until) o.until = until;
  } else if ($('tz').value) o.tz = $('tz').value;
  const format = document.querySelector('input[name=format]:checked').value;
  if (format && !countdown) o.format = format;
  if (!$('seconds').checked) o.seconds = false;
  if ($('theme').value !== 'auto') o.theme = $('theme').value;
  const { locale, problem } = checkLocale($('locale').value.trim());
  $('locale-problem').textContent = problem;
  $('locale').setAttribute('aria-invalid', String(!!problem));
  if (locale) o.locale = locale;
  const label = shownText('label');
  if (label) o.label = label;
  const ended = shownText('ended');
  if (countdown && ended) o.ended = ended;
  return o;
}

/**
 * The text of the `id` field, or '' with its problem shown when the widget would refuse it:
 * a line or paragraph separator (U+2028, U+2029, as pasted from some editors) or a NUL, which
 * the HTML parser would replace, so the pasted badge would differ from the preview.
 */
function shownText(id) {
  const value = $(id).value.trim();
  const bad = /[\0\u2028\u2029]/.test(value);
  $(id + '-problem').textContent = bad ? 'This text has a line separator or another character a badge cannot show; it is left out.' : '';
  $(id).setAttribute('aria-invalid', String(bad));
  return bad ? '' : value;
}

/** The badge element a host pastes: `data-` attributes in the documented names. */
function badgeMarkup(o) {
  let html = '<span data-crossclock';
  for (const key of ['until', 'tz', 'format', 'seconds', 'theme', 'locale', 'label', 'ended']) {
    if (o[key] !== undefined) html += ` data-${key}="${attr(String(o[key]))}"`;
  }
  return html + '></span>';
}

/** The server's form with its placeholder badge element replaced by the configured one. */
function withBadge(form, markup) {
  if (!form) return '';
  const placeholder = /<(\w+) data-crossclock[^>]*><\/\1>/;
  return placeholder.test(form) ? form.replace(placeholder, () => markup) : markup + '\n' + form;
}

// --- the time zone picker: a search box filtering a plain <select>, keyboard-friendly as is.

/**
 * Zones IANA renamed, by the old name. Engines list one spelling or the other: Chromium and
 * WebKit the old (CLDR's), Firefox the new, so without this a search for "Kyiv" or "Kolkata"
 * found nothing in Chromium and Safari, one for "Kiev" or "Calcutta" nothing in Firefox, and
 * the same city gave a different snippet in each. Every engine accepts both spellings.
 */
const RENAMED = {
  'Africa/Asmera': 'Africa/Asmara', 'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca', 'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba', 'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis', 'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville', 'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata', 'Asia/Katmandu': 'Asia/Kathmandu', 'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh', 'Atlantic/Faeroe': 'Atlantic/Faroe', 'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton', 'Pacific/Ponape': 'Pacific/Pohnpei', 'Pacific/Truk': 'Pacific/Chuuk',
};
/** The old name of each renamed zone, by the new one: found by either in the search. */
const FORMERLY = Object.fromEntries(Object.entries(RENAMED).map(([old, now]) => [now, old]));

/** Whether this engine's `Intl` knows zone `tz` (an engine older than a rename may not). */
function knows(tz) {
  try {
    return !!new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
}

// One spelling per zone, the current one, in one order (Chromium leaves UTC out of its list).
const zones = (() => {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const named = all.map((z) => (RENAMED[z] && knows(RENAMED[z]) ? RENAMED[z] : z));
  return [...new Set(['UTC', ...named])].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a < b ? -1 : a > b ? 1 : 0));
})();
const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A zone as listed: `Asia/Kolkata (formerly Calcutta)`, `America/Argentina/Cordoba (formerly America/Cordoba)`. */
function shown(z) {
  const old = FORMERLY[z];
  const city = old?.split('/').pop();
  const formerly = !old ? '' : ` (formerly ${z.endsWith('/' + city) ? old : city})`;
  return (z + formerly).replace(/_/g, ' ');
}

function fillZones() {
  const words = $('tz-filter').value.trim().toLowerCase().replace(/[\s_]+/g, ' ').split(' ').filter(Boolean);
  const selected = $('tz').value;
  const matches = zones.filter((z) => {
    const name = (z + ' ' + (FORMERLY[z] ?? '')).toLowerCase().replace(/_/g, ' ');
    return words.every((w) => name.includes(w));
  });
  // A clock shows the visitor's zone by default; a countdown's date and time are read in the zone of whoever fills the form.
  const own = countdownMode() ? `This browser's zone (${visitorZone})` : `The visitor's own zone (here: ${visitorZone})`;
  const options = words.length ? [] : [new Option(own, '')];
  for (const z of matches) options.push(new Option(shown(z), z));
  $('tz').replaceChildren(...options);
  // Keep the choice while it is still listed; filtering alone never changes the snippet.
  if (options.some((opt) => opt.value === selected)) $('tz').value = selected;
}

// --- output: preview and snippets.

const forms = {};
let formsProblem = '';
let formsNote = '';
let previewKey = '';
let previewReady = false;

function render() {
  const o = readOptions();
  const markup = badgeMarkup(o);
  for (const form of FORMS) $('snippet-' + form).textContent = withBadge(forms[form] ?? '', markup);
  $('snippets-problem').textContent = formsProblem;
  $('snippets-note').textContent = formsNote;

  // The widget keeps one badge per element: a changed badge is a new element, made only when
  // something changed (each element stays known to the widget for the page's lifetime).
  const key = JSON.stringify(o);
  const ready = typeof window.crossclock === 'function' && !(countdownMode() && !o.until);
  if (key === previewKey && ready === previewReady) return;
  [previewKey, previewReady] = [key, ready];
  const host = document.createElement('span');
  host.id = 'preview-badge';
  $('preview').replaceChildren(host);
  if (ready) window.crossclock('badge', { target: host, ...o });
}

async function loadForms() {
  try {
    await Promise.all(
      FORMS.map(async (form) => {
        const res = await fetch('v1/snippet?form=' + form);
        if (!res.ok) throw new Error(`GET /v1/snippet?form=${form} answered ${res.status}`);
        forms[form] = (await res.text()).trim();
      }),
    );
    formsNote = elsewhereNote(forms.tag);
  } catch (e) {
    formsProblem = 'The snippets could not be loaded from this server: ' + e.message;
  }
  render();
}

/**
 * A word when the snippets load the widget from another address than this page's: the
 * server's --public-url, or without one the address this instance listens on, which the
 * pages that paste them may not reach.
 */
function elsewhereNote(tag) {
  const server = /src="([^"]+)\/v1\/crossclock\.js"/.exec(tag)?.[1];
  if (!server || new URL(server).origin === location.origin) return '';
  return `These snippets load the widget from ${server}, not from this page's address (${location.origin}). ` +
    'Pages can only use them if they reach that address: if they cannot, start the server with --public-url set to one they can.';
}

// --- copying.

/** Puts `text` on the clipboard: the async API where the page is a secure context, else the old way. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http on a public name) or no permission: select and copy.
  }
  const area = document.createElement('textarea');
  area.className = 'offscreen';
  area.value = text;
  area.setAttribute('readonly', '');
  document.body.append(area);
  try {
    area.select();
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const status = button.nextElementSibling;
  const code = $(button.dataset.copy);
  const text = code.textContent;
  const ok = text && (await copyText(text).catch(() => false));
  button.focus();
  // No clipboard for this page (WebKit refuses both ways without a real user gesture, a
  // browser may deny the permission): the snippet is selected, so one shortcut copies it.
  if (!ok && text) getSelection()?.selectAllChildren(code);
  // Every status emptied first, then this one filled a moment later: a live region is announced
  // when its text changes, so a second copy of the same snippet says "Copied." again, and no
  // other snippet still claims to be the one copied.
  for (const other of document.querySelectorAll('.copied')) other.textContent = '';
  setTimeout(() => {
    status.textContent = ok
      ? 'Copied.'
      : text
        ? `This browser did not let the page copy: the snippet is selected, press ${/Mac|iP(hone|ad)/.test(navigator.platform) ? '⌘' : 'Ctrl+'}C to copy it.`
        : 'Nothing to copy yet: the snippets have not loaded.';
  }, 100);
});

$('tz-filter').addEventListener('input', fillZones);
$('tz-filter').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    // Enter picks the first match instead of submitting the form.
    event.preventDefault();
    const first = [...$('tz').options].find((opt) => opt.value);
    if (first) {
      $('tz').value = first.value;
      render();
    }
  } else if (event.key === 'ArrowDown') {
    event.preventDefault();
    $('tz').focus();
  }
});
// Every control (text, radio, checkbox, select) fires `input` on each change.
$('options').addEventListener('input', (event) => {
  if (event.target.name === 'mode') fillZones();
  if (event.target !== $('tz-filter')) render();
});
$('options').addEventListener('submit', (event) => event.preventDefault());
// A countdown starts out at the next full hour a day from now, on this browser's clock.
$('until').value = localValue(Math.ceil(Date.now() / 3600000) * 3600000 + 86400000);

for (const tag of new Set([navigator.language, 'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'zh-CN', 'ar-EG', 'hi-IN'])) {
  $('locales').append(new Option(tag));
}
fillZones();
loadForms();
// The widget script is async: it may arrive before or after this module runs.
if (typeof window.crossclock !== 'function') $('widget').addEventListener('load', render);
