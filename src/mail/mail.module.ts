import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MailMessage } from './entities/mail-message.entity';
import { MailController } from './mail.controller';
import { MAIL_TRANSPORT, smtpTransport } from './mail-transport';
import { MailService } from './mail.service';
import { MailWorker } from './mail-worker';

/** Outgoing mail: the outbox, its worker and the admins' page. Global: any feature may send a mail. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([MailMessage])],
  controllers: [MailController],
  providers: [
    { provide: MAIL_TRANSPORT, useFactory: (config: AppConfig) => smtpTransport(config.mail.smtpUrl), inject: [APP_CONFIG] },
    MailService,
    MailWorker,
  ],
  exports: [MailService, MailWorker],
})
export class MailModule {}
