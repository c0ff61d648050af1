/** Where a mail of the outbox stands. `sending` is a claim in progress, shown to admins as waiting. */
export const MAIL_STATUSES = ['waiting', 'sending', 'sent', 'kept', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** The mails the app knows how to write; each has views/mail/<name>.text.hbs and .html.hbs and a subject in locales. */
export const MAIL_TEMPLATES = ['test', 'invitation', 'password_setup', 'password_reset', 'email_change', 'email_changed', 'notification', 'digest'] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];
