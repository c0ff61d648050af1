import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { asList } from '../../common/http/form-fields';

/** A staff check of a volunteer's photo: everyone in it, ticked (none ticked: nobody). */
export class PhotoCheckDto {
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  @IsArray()
  residentIds?: string[];
}
