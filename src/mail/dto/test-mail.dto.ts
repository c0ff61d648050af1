import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { trimmed } from '../../common/http/form-fields';

export class TestMailDto {
  @Transform(trimmed)
  @IsEmail()
  @MaxLength(254)
  @IsNotEmpty()
  @IsString()
  to: string;
}
