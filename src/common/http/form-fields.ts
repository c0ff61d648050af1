import { applyDecorators } from '@nestjs/common';
import { IsDateString, Matches } from 'class-validator';
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
 * A day that exists, as YYYY-MM-DD: the layout, then the calendar (no 30 February or month 13, which a
 * PostgreSQL date column refuses with an error). Put it above `@IsString()`.
 */
export function IsIsoDate(): PropertyDecorator {
  // Registered in this order, checked in this order: the layout's message first, then the calendar's.
  return applyDecorators(Matches(ISO_DATE_LAYOUT), IsDateString({ strict: true }));
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
