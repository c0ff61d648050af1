import { IsIn, IsOptional, IsUUID, Matches, ValidateBy } from 'class-validator';
import { isYearInBounds } from '../../common/time/quarter';
import { LOCALES, Locale } from '../../common/i18n/i18n';

export const CSV_TABLES = ['figures', 'participation', 'contributions'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** ?homeId=&quarter= : which home and which calendar quarter ("2026-Q3"). */
export class QuarterlyReportQuery {
  @IsUUID()
  homeId: string;

  // Checked bottom-up: the layout, then the year within the app's dates (1900–2200).
  @ValidateBy({ name: 'dateRange', validator: { validate: (value: unknown) => typeof value === 'string' && isYearInBounds(Number(value.slice(0, 4))) } })
  @Matches(/^\d{4}-Q[1-4]$/)
  quarter: string;
}

/** The PDF, in the reader's language unless another is asked for. */
export class QuarterlyPdfQuery extends QuarterlyReportQuery {
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class QuarterlyCsvQuery extends QuarterlyReportQuery {
  @IsIn(CSV_TABLES)
  table: CsvTable;
}
