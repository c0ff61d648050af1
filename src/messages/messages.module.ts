import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { FamiliesModule } from '../families/families.module';
import { ResidentsModule } from '../residents/residents.module';
import { MessagesApiController } from './api/messages-api.controller';
import { Message } from './entities/message.entity';
import { MessageRead } from './entities/message-read.entity';
import { MessageThread } from './entities/message-thread.entity';
import { FamilyMessagesController } from './family-messages.controller';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

/** Messages between a home's staff and a resident's relatives: one thread per resident (docs/messages.md). */
@Module({
  imports: [TypeOrmModule.forFeature([MessageThread, Message, MessageRead]), AuthModule, ResidentsModule, FamiliesModule],
  controllers: [MessagesController, FamilyMessagesController, MessagesApiController],
  providers: [MessagesService],
  exports: [MessagesService],
})
export class MessagesModule {}
