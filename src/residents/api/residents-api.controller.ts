import { Controller, Get, Param, Query } from '@nestjs/common';
import type { SessionUser } from '../../common/access/session-user';
import { rolesThat } from '../../common/access/access-policy';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { ParseIdPipe } from '../../common/http/parse-id.pipe';
import { ResidentListQuery } from '../dto/resident.dto';
import { ResidentsService } from '../residents.service';

/** The same residents, by the same rules, for the tablet and other clients. */
@Controller('api/residents')
@Roles(...rolesThat('homeUsers'))
export class ResidentsApiController {
  constructor(private readonly residents: ResidentsService) {}

  @Get()
  list(@CurrentUser() user: SessionUser, @Query() query: ResidentListQuery) {
    return this.residents.page(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: SessionUser, @Param('id', ParseIdPipe) id: string) {
    return this.residents.view(user, id);
  }
}
