import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID, ValidateBy } from 'class-validator';
import type { Message } from '../errors/domain-errors';
import { EARLIEST_DATE, isCalendarDate, isDateInBounds, LATEST_DATE } from '../time/zoned';
/*
 * What DTOs share to read form fields. class-validator runs a property's decorators bottom-up and
 * stops at the first failure: the most basic check sits nearest the property, so a missing value
 * reads "fill in this field", not "too long".
 */

interface TransformInput {
  value: unknown;
}

export const trimmed = ({ value }: TransformInput) => (typeof value === 'string' ? value.trim() : value);

/** An optional field left blank means "none": null, never an empty string. */
export const blankToNull = ({ value }: TransformInput) => (typeof value === 'string' && value.trim() === '' ? null : trimmed({ value }));

/** A field that may come once or repeated (ticked boxes of one name): always a list, or undefined when absent. */
export const asList = ({ value }: TransformInput) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * A list of ids that may be left out (boxes ticked by name, sent once or repeated): a list, at most
 * `max` long, of UUIDs. Checked as written bottom-up in a DTO: a list first, then each id, then the length.
 */
export function OptionalIdList(max: number): PropertyDecorator {
  return applyDecorators(IsArray(), IsUUID('all', { each: true }), ArrayMaxSize(max), Transform(asList), IsOptional());
}

/** A ticked checkbox sends "on" (scripts and tests may send true, "true" or "1"); anything else is false. */
export const checkbox = ({ value }: TransformInput) => value === 'on' || value === 'true' || value === true || value === '1';

/** YYYY-MM-DD with a month from 01 to 12 and a day from 01 to 31; it knows nothing of month lengths. */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Only the YYYY-MM-DD layout. Used under `@IsDateString({ strict: true })`, which then refuses days that
 * do not exist with its own message.
 */
export const ISO_DATE_LAYOUT = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Within the app's dates (1900-01-01 to 2200-12-31, common/time/zoned.ts); its failure is
 * `validation.dateRange`. For a date or an ISO instant.
 */
export function IsDateInBounds(): PropertyDecorator {
  return ValidateBy({ name: 'dateRange', validator: { validate: (value: unknown) => typeof value !== 'string' || isDateInBounds(value) } });
}

/** The message for a date a client sent: its layout or calendar first, then the bounds; undefined when it is fine. */
export function isoDateError(value: string): Message | undefined {
  if (!ISO_DATE_LAYOUT.test(value)) return { key: 'validation.isDateString' };
  if (!isCalendarDate(value)) return { key: 'validation.noSuchDate' };
  if (!isDateInBounds(value)) return { key: 'validation.dateRange', params: DATE_RANGE_PARAMS };
  return undefined;
}

export const DATE_RANGE_PARAMS = { min: EARLIEST_DATE, max: LATEST_DATE };

/**
 * A day that exists, as YYYY-MM-DD, within the app's bounds: the layout, then the calendar (no 30
 * February or month 13, which a PostgreSQL date column refuses with an error), then 1900–2200. Put it
 * above `@IsString()`.
 */
export function IsIsoDate(): PropertyDecorator {
  // Registered in this order, checked in this order: the layout's message first ("Enter a date as
  // YYYY-MM-DD."), then the calendar's ("2026-02-31" has the layout but no such day), then the bounds.
  return applyDecorators(
    ValidateBy({ name: 'isDateString', validator: { validate: (value: unknown) => typeof value === 'string' && ISO_DATE_LAYOUT.test(value) } }),
    ValidateBy({ name: 'noSuchDate', validator: { validate: (value: unknown) => typeof value !== 'string' || !ISO_DATE_LAYOUT.test(value) || isCalendarDate(value) } }),
    IsDateInBounds(),
  );
}

/**
 * A number typed in a form: blank means "not given", digits become a number, anything else stays as
 * typed so the number check names the field. (class-transformer's @Type runs before @Transform and
 * would turn "" into 0.)
 */
export const numberField = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
  return raw;
};
