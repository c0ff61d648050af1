import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { blankToNull, numberField } from '../http/form-fields';

/** The search text a list page takes from its address; it may be left out. */
export abstract class SearchQueryDto {
  @IsOptional()
  @Transform(blankToNull)
  @MaxLength(100)
  @IsString()
  q?: string | null;
}

/** The search text and page number a list page takes from its address; both may be left out. */
export abstract class ListQueryDto extends SearchQueryDto {
  @IsOptional()
  @Transform(numberField)
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;
}
