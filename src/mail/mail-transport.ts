import type * as Nodemailer from 'nodemailer';
import { lazyModule } from '../common/lazy-module';

/** What the worker hands to the SMTP server: one mail, already written. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same for every try of one outbox row, so a mail sent twice after a crash reads as one. */
  messageId: string;
}

/** Sends one mail; rejects with the server's answer when it is refused. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  /** Where mail goes, for the admin page: host and port, never the password. */
  readonly server: string;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** Shorter than the worker's lease, so a stuck server fails the try before another worker may retry it. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** nodemailer loads when SMTP is configured, not in every app. */
const nodemailer = lazyModule(() => require('nodemailer') as typeof Nodemailer);

/** nodemailer's SMTP transport for SMTP_URL; null without one (mail is then kept in the outbox). */
export function smtpTransport(smtpUrl: string | null): MailTransport | null {
  if (!smtpUrl) return null;
  const transporter = nodemailer().createTransport({ url: smtpUrl, ...TIMEOUTS });
  const url = new URL(smtpUrl);
  return {
    server: `${url.protocol}//${url.host}`,
    async send(mail) {
      await transporter.sendMail({ ...mail, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}
