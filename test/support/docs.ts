import { readFileSync } from 'node:fs';

/** The text of a page of the documentation: `README.md` or `docs/<page>.md`. */
export function readDoc(path: string): string {
  // Compiled to dist/test/support/: the repository is three folders up.
  return readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
}

/**
 * The body rows of the Markdown table in `text` whose header row starts with `header`, each as
 * its trimmed cells (an escaped `\|` stays inside its cell).
 */
export function tableRows(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start < 0) throw new Error(`no table whose header starts with "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return rows;
}
