import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { checkbox } from '../../common/http/form-fields';

export class PhotoSettingsDto {
  @IsUUID()
  homeId: string;

  /** A checkbox: absent when not ticked. */
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean()
  volunteersMayAdd?: boolean;
}
