import { renderMail } from './mail-renderer';

const sut = renderMail;

describe('renderMail', () => {
  it('should write subject, text and HTML in English when the locale is en', () => {
    const mail = sut('test', 'en', { sender: 'Anna Bianchi' });

    expect(mail.subject).toBe('Insieme test mail');
    expect(mail.text).toContain('sent by Anna Bianchi');
    expect(mail.html).toContain('sent by Anna Bianchi');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.locale).toBe('en');
  });

  it('should write subject, text and HTML in Italian when the locale is it', () => {
    const mail = sut('test', 'it', { sender: 'Anna Bianchi' });

    expect(mail.subject).toBe('Email di prova di Insieme');
    expect(mail.text).toContain('inviata da Anna Bianchi');
    expect(mail.html).toContain('inviata da Anna Bianchi');
    expect(mail.html).toContain('<html lang="it">');
  });

  it('should fall back to English when the locale is not one of ours', () => {
    expect(sut('test', 'fr', { sender: 'Anna' })).toMatchObject({ locale: 'en', subject: 'Insieme test mail' });
  });

  it('should escape markup in the HTML and keep it as typed in the text when a value holds HTML', () => {
    const mail = sut('test', 'en', { sender: '<img src=x onerror=alert(1)> & "Co"' });

    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;Co&quot;');
    expect(mail.text).toContain('<img src=x onerror=alert(1)> & "Co"');
  });

  it('should fail rather than write a blank when a parameter the template uses is missing', () => {
    expect(() => sut('test', 'en', {})).toThrow(/sender/);
  });

  it.each([
    ['invitation', { name: 'Giulia Neri', sender: 'Marta', home: 'Casa Serena', link: 'https://x.example/invitations/abc', expires: '10/12/2026 09:00' }],
    ['password_setup', { name: 'Giulia Neri', sender: 'Marta', home: 'Casa Serena', link: 'https://x.example/invitations/abc', expires: '10/12/2026 09:00' }],
    ['password_reset', { name: 'Giulia Neri', link: 'https://x.example/password/reset/abc', minutes: 30 }],
    ['email_change', { name: 'Giulia Neri', newEmail: 'g@example.org', link: 'https://x.example/email-change/abc', expires: '10/12/2026 09:00' }],
    ['email_changed', { name: 'Giulia Neri', newEmail: 'g@example.org' }],
  ] as const)('should write the %s mail in English and in Italian with every parameter filled when all are given', (name, params) => {
    const en = sut(name, 'en', params);
    const it = sut(name, 'it', params);

    expect(en.subject).not.toBe(it.subject);
    for (const mail of [en, it]) {
      expect(mail.text).toContain('Giulia Neri');
      expect(mail.html).toContain('Giulia Neri');
      if ('link' in params) expect(mail.html).toContain(`href="${params.link}"`);
      expect(mail.text).not.toMatch(/\{\w+\}/);
    }
  });
});
