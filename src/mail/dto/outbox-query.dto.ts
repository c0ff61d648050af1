import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { numberField } from '../../common/http/form-fields';

export class OutboxQueryDto {
  @IsOptional()
  @Transform(numberField)
  @Max(100000)
  @Min(1)
  @IsInt()
  page?: number;
}
