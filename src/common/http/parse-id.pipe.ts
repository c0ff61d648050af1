import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/domain-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record id from the URL; anything that is not one is simply not found. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError();
    return value.toLowerCase();
  }
}
