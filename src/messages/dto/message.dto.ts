import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MESSAGE_MAX_LENGTH } from '../messages.enums';
import { messageText } from '../messages.service';

// class-validator runs decorators bottom-up: the most basic check sits nearest the property.

/** A message to a resident's thread, from the page's form or the JSON API. */
export class MessageDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? messageText(value) : value))
  @MaxLength(MESSAGE_MAX_LENGTH)
  @IsNotEmpty()
  @IsString()
  body: string;
}
