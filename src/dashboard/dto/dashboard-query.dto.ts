import { IsOptional, IsUUID } from 'class-validator';

/** ?home= : which of the user's homes the page is about, for someone with several (the first by name without it). */
export class DashboardQuery {
  @IsOptional()
  @IsUUID()
  home?: string;
}
