import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route parameters that hold record ids: `:id`, `:planId`, `:offerId`… */
export const ID_PARAM = /^(id|[a-z][A-Za-z]*Id)$/;

/** A record id from the URL; anything that is not one is simply not found. */
export function parseId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError();
  return value.toLowerCase();
}

@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseId(value);
  }
}
