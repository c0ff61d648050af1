import { notificationText } from './notification-text';
import { defaultMode } from './notifications.enums';

describe('notificationText', () => {
  const sut = notificationText;

  it('should show a date param as a date in the reader language when the text is translated', () => {
    const n = { messageKey: 'notifications.messages.helpOfferConfirmed', params: { title: 'Coro', date: '2026-07-02' } };
    expect(sut(n, 'en')).toBe('Your offer to help with “Coro” on 2 July 2026 was confirmed. Thank you!');
    expect(sut(n, 'it')).toBe('La tua offerta di aiuto per «Coro» il 2 luglio 2026 è stata confermata. Grazie!');
  });

  it('should keep what a user wrote as written when it holds braces', () => {
    expect(sut({ messageKey: 'notifications.messages.newProgrammeFeedback', params: { name: 'Ada {rating}', rating: 4 } }, 'en')).toBe('Ada {rating} rated the programme 4 out of 5.');
  });
});

describe('defaultMode', () => {
  it('should give relatives a daily digest and everyone else the app only when they have not chosen', () => {
    expect(defaultMode('family')).toBe('digest');
    for (const role of ['admin', 'manager', 'coordinator', 'carer', 'volunteer'] as const) expect(defaultMode(role)).toBe('app');
  });
});
