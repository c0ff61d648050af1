import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { AuthModule } from '../auth/auth.module';
import { ContributionsModule } from '../contributions/contributions.module';
import { FamiliesModule } from '../families/families.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { StaffModule } from '../staff/staff.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { CheckInsService } from './check-ins.service';
import { Feedback } from './entities/feedback.entity';
import { Suggestion } from './entities/suggestion.entity';
import { SuggestionHistory } from './entities/suggestion-history.entity';
import { WellbeingCheckIn } from './entities/wellbeing-check-in.entity';
import { FeedbackService } from './feedback.service';
import { InboxController } from './inbox.controller';
import { ResidentVoiceController } from './resident-voice.controller';
import { SuggestionsService } from './suggestions.service';
import { VoiceAccess } from './voice-access';
import { VoiceViews } from './voice-views';

/**
 * The voice of residents, families, volunteers and staff: suggestions, feedback and wellbeing
 * check-ins, the coordinators' inbox, and the pages where staff record a resident's own words.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Suggestion, SuggestionHistory, Feedback, WellbeingCheckIn]),
    ContributionsModule, ResidentsModule, ActivitiesModule, FamiliesModule, VolunteersModule, StaffModule, HomesModule, AuthModule,
  ],
  controllers: [InboxController, ResidentVoiceController],
  providers: [SuggestionsService, FeedbackService, CheckInsService, VoiceAccess, VoiceViews],
  exports: [SuggestionsService, FeedbackService, CheckInsService],
})
export class VoiceModule {}
