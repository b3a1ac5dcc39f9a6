import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A font whose digits are proportional by default (a 1 narrower than a 0), as the system
 * font of Apple's platforms, San Francisco, is; Debian's own fonts all have tabular digits.
 */
export const PROPORTIONAL_DIGITS = 'Inter';

/** The one line printed when that font is missing. */
export const NO_PROPORTIONAL_DIGITS =
  'crossclock: the tabular digits test needs the Inter font (Debian: apt-get install -y fonts-inter)';

/** True when fontconfig has `family` installed. */
export function hasFont(family: string): boolean {
  try {
    return execFileSync('fc-list', [`:family=${family}`, 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Writes a fontconfig file that keeps the system's configuration but resolves `system-ui` to
 * `family`, and returns its path: a browser started with `FONTCONFIG_FILE` set to it shows
 * `system-ui` text in that font. `sans-serif` too: fontconfig's own rules make `system-ui`
 * an alias of it, which a rule for `system-ui` alone loses to.
 */
export function systemUiAs(family: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'crossclock-fonts-')), 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
${['system-ui', 'sans-serif'].map((generic) => `  <match target="pattern">
    <test name="family"><string>${generic}</string></test>
    <edit name="family" mode="prepend" binding="strong"><string>${family}</string></edit>
  </match>
`).join('')}</fontconfig>
`,
  );
  return file;
}
