import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateBy } from 'class-validator';
import { isYearInBounds } from '../../common/time/quarter';
import { LOCALES, Locale } from '../../common/i18n/i18n';
import { IsIsoDate, numberField } from '../../common/http/form-fields';

export const CSV_TABLES = ['figures', 'participation', 'contributions'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/** The two copies of an issued report: the manager's (with names) and the copy without names. */
export const COPIES = ['names', 'withoutNames'] as const;
export type Copy = (typeof COPIES)[number];

/** ?homeId=&quarter= : which home and which calendar quarter ("2026-Q3"). */
export class QuarterlyReportQuery {
  @IsUUID()
  homeId: string;

  // Checked bottom-up: the layout, then the year within the app's dates (1900–2200).
  @ValidateBy({ name: 'dateRange', validator: { validate: (value: unknown) => typeof value === 'string' && isYearInBounds(Number(value.slice(0, 4))) } })
  @Matches(/^\d{4}-Q[1-4]$/)
  quarter: string;
}

/** The preview's address, either part of which may be left out: the picker's defaults stand in (a bookmark, a shortened link). */
export class QuarterlyPreviewQuery {
  @IsOptional()
  @IsUUID()
  homeId?: string;

  @IsOptional()
  @ValidateBy({ name: 'dateRange', validator: { validate: (value: unknown) => typeof value === 'string' && isYearInBounds(Number(value.slice(0, 4))) } })
  @Matches(/^\d{4}-Q[1-4]$/)
  quarter?: string;
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

/** Issuing a closed quarter's report: which home and quarter, and the language its PDFs are printed in. */
export class IssueReportDto extends QuarterlyReportQuery {
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

/** One issued version's PDF: the manager's copy (names) or the copy without names. */
export class IssuedPdfQuery extends QuarterlyReportQuery {
  // Checked bottom-up, like the others.
  @Transform(numberField)
  @Max(1_000_000)
  @Min(1)
  @IsInt()
  version: number;

  @IsOptional()
  @IsIn(COPIES)
  copy?: Copy;

  /** Printed in another language than it was issued in: the same stored figures, said on its cover. */
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

/** ?date= : any day of the week to print (this week when left out). */
export class ResidentWeekQuery {
  @IsOptional()
  @IsIsoDate()
  @IsString()
  date?: string;
}
