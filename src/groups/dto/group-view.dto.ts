import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { isYearInBounds } from '../../common/time/quarter';
import { GROUP_SORTS, GroupSort, SORT_DIRECTIONS, SortDirection } from '../group-view';

/** ?quarter=&sort=&dir= : the quarter (the last complete one without it) and the column the homes are sorted by. */
export class GroupViewQuery {
  // Checked bottom-up: the layout, then the year within the app's dates, as the report's.
  @IsOptional()
  @ValidateBy({ name: 'dateRange', validator: { validate: (value: unknown) => typeof value === 'string' && isYearInBounds(Number(value.slice(0, 4))) } })
  @Matches(/^\d{4}-Q[1-4]$/)
  quarter?: string;

  @IsOptional()
  @IsIn([...GROUP_SORTS])
  sort?: GroupSort;

  @IsOptional()
  @IsIn([...SORT_DIRECTIONS])
  dir?: SortDirection;
}
