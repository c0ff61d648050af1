import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** A real SMTP server in the test process, on a free port; it keeps what arrives, parsed. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** RCPT TO tries, refused ones included. */
  recipientTries: number;
  /** While set, every recipient is refused with this SMTP reply (e.g. 450 or 550). */
  refuseWith: { code: number; message: string } | null;
  /** The next this many mails are read and never answered, as a sender killed mid-send leaves them (not received). */
  holdNext: number;
  /** Mails held so far. */
  held: number;
  /** Waits until `count` mails in all have arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    url: '',
    received: [],
    recipientTries: 0,
    refuseWith: null,
    holdNext: 0,
    held: 0,
    waitFor: async (count, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      while (state.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails, ${state.received.length} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return state.received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      state.recipientTries++;
      if (!state.refuseWith) return callback();
      const error = Object.assign(new Error(state.refuseWith.message), { responseCode: state.refuseWith.code });
      return callback(error);
    },
    onData(stream, _session, callback) {
      if (state.holdNext > 0) {
        state.holdNext--;
        state.held++;
        stream.resume();
        return;
      }
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          state.received.push({
            to: addressText(mail.to),
            from: addressText(mail.from),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  // A client killed mid-mail resets its connection; the server reports it, and that is all it is.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

function addressText(value: ParsedMail['to'] | ParsedMail['from']): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}
