import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

/** Characters that make a spreadsheet read a cell as a formula (or start one after a control character). */
const FORMULA_START = /^[=+\-@\t\r\0]/;

/**
 * A cell a spreadsheet will show as text, never run: text starting with = + - @ TAB, CR or NUL gets a
 * leading single quote (OWASP "CSV injection", ASVS 5.0 V1.2.10). Numbers the report computed are written as numbers:
 * a negative change is a value, not a formula.
 */
export function neutraliseFormula(cell: CsvCell): string | number {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : '';
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Rows as CSV text (RFC 4180 quoting by csv-stringify, CRLF line ends, a BOM so spreadsheets read
 * UTF-8), as a spreadsheet of the reader's language opens it with a double click: in Italian, fields
 * apart by semicolons and decimals after a comma ("1,25"), since Excel set to Italian reads a comma
 * as the decimal mark; in English, commas and a decimal point. Numbers stay bare either way, so the
 * spreadsheet reads them as numbers (a negative one is written after the formula check, so it is no formula).
 */
export function toCsv(header: string[], rows: CsvCell[][], locale = 'en'): string {
  const italian = locale === 'it';
  const cell = (value: CsvCell) => {
    const safe = neutraliseFormula(value);
    return typeof safe === 'number' && italian ? String(safe).replace('.', ',') : safe;
  };
  return stringify([header, ...rows].map((row) => row.map(cell)), { bom: true, record_delimiter: 'windows', delimiter: italian ? ';' : ',' });
}
