// The embed configurator's page script: reads the controls, shows the real widget as a
// preview and the snippet in each embed form. Plain JavaScript served as is (no build step),
// and under the page's CSP (`script-src 'self'`): no inline handlers, no eval, no inline style.

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

// --- countdowns: a wall-clock date and time in a zone, turned into the instant it names.

/** How far zone `tz` (undefined: this browser's) is ahead of UTC at instant `t`, in ms. */
function offsetAt(t, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(t);
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (t - (t % 1000));
}

/**
 * The ISO 8601 instant at which the clocks of zone `tz` read `local` (`YYYY-MM-DDTHH:MM[:SS]`),
 * written with that zone's offset then (`2027-01-01T00:00:00+01:00`, `Z` for UTC), or null. A
 * time that a DST change skips becomes the instant just after the gap, as clocks show it.
 */
function zonedInstant(local, tz) {
  const wall = Date.parse(local.length === 16 ? local + ':00Z' : local + 'Z');
  if (Number.isNaN(wall)) return null;
  // Two passes: the offset a guess lands on may differ from the one at the answer near a DST change.
  let t = wall - offsetAt(wall, tz);
  t = wall - offsetAt(t, tz);
  const offset = offsetAt(t, tz);
  const abs = Math.abs(offset) / 60000;
  const zone = offset ? (offset < 0 ? '-' : '+') + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0') : 'Z';
  return new Date(t + offset).toISOString().slice(0, 19) + zone;
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
    $('until-problem').textContent = until ? '' : 'Choose the date and time to count down to.';
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
  const label = $('label').value.trim();
  if (label) o.label = label;
  const ended = $('ended').value.trim();
  if (countdown && ended) o.ended = ended;
  return o;
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

const zones = (() => {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes('UTC') ? all : ['UTC', ...all];
})();
const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function fillZones() {
  const words = $('tz-filter').value.trim().toLowerCase().replace(/[\s_]+/g, ' ').split(' ').filter(Boolean);
  const selected = $('tz').value;
  const matches = zones.filter((z) => {
    const name = z.toLowerCase().replace(/_/g, ' ');
    return words.every((w) => name.includes(w));
  });
  // A clock shows the visitor's zone by default; a countdown's date and time are read in the zone of whoever fills the form.
  const own = countdownMode() ? `This browser's zone (${visitorZone})` : `The visitor's own zone (here: ${visitorZone})`;
  const options = words.length ? [] : [new Option(own, '')];
  for (const z of matches) options.push(new Option(z.replace(/_/g, ' '), z));
  $('tz').replaceChildren(...options);
  // Keep the choice while it is still listed; filtering alone never changes the snippet.
  if (options.some((opt) => opt.value === selected)) $('tz').value = selected;
}

// --- output: preview and snippets.

const forms = {};
let formsProblem = '';
let previewKey = '';
let previewReady = false;

function render() {
  const o = readOptions();
  const markup = badgeMarkup(o);
  for (const form of FORMS) $('snippet-' + form).textContent = withBadge(forms[form] ?? '', markup);
  $('snippets-problem').textContent = formsProblem;

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
        const res = await fetch('/v1/snippet?form=' + form);
        if (!res.ok) throw new Error(`GET /v1/snippet?form=${form} answered ${res.status}`);
        forms[form] = (await res.text()).trim();
      }),
    );
  } catch (e) {
    formsProblem = 'The snippets could not be loaded from this server: ' + e.message;
  }
  render();
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
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  return done;
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const status = button.nextElementSibling;
  const text = $(button.dataset.copy).textContent;
  const ok = text && (await copyText(text));
  button.focus();
  status.textContent = ok ? 'Copied.' : 'Could not copy: select the text and copy it by hand.';
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
