import { ValidationError } from '../common/errors/domain-errors';
import { MESSAGE_MAX_LENGTH } from './messages.enums';
import { messageBody } from './messages.service';

describe('messageBody', () => {
  const fieldsOf = (value: unknown) => {
    try {
      messageBody(value);
    } catch (error) {
      if (error instanceof ValidationError) return error.fields;
      throw error;
    }
    throw new Error('accepted');
  };

  it('should trim a message and keep its inner line breaks', () => {
    expect(messageBody('  Hello,\nsee you Sunday.  ')).toBe('Hello,\nsee you Sunday.');
  });

  it('should store each line break as one LF when a browser sends CR LF', () => {
    const sut = `${'a'.repeat(MESSAGE_MAX_LENGTH / 2)}\r\n${'b'.repeat(MESSAGE_MAX_LENGTH / 2 - 1)}`;
    expect(messageBody(sut)).toBe(`${'a'.repeat(MESSAGE_MAX_LENGTH / 2)}\n${'b'.repeat(MESSAGE_MAX_LENGTH / 2 - 1)}`);
    expect(messageBody('one\rtwo')).toBe('one\ntwo');
  });

  it('should accept a message of exactly the longest length when it is trimmed', () => {
    const sut = ` ${'a'.repeat(MESSAGE_MAX_LENGTH)} `;
    expect(messageBody(sut)).toHaveLength(MESSAGE_MAX_LENGTH);
  });

  it('should name the body field when a message is missing, blank, not text or too long', () => {
    expect(fieldsOf(undefined)).toEqual({ body: { key: 'validation.isNotEmpty' } });
    expect(fieldsOf(null)).toEqual({ body: { key: 'validation.isNotEmpty' } });
    expect(fieldsOf(' \n\t ')).toEqual({ body: { key: 'validation.isNotEmpty' } });
    expect(fieldsOf(42)).toEqual({ body: { key: 'validation.isString' } });
    expect(fieldsOf(['a'])).toEqual({ body: { key: 'validation.isString' } });
    expect(fieldsOf('a'.repeat(MESSAGE_MAX_LENGTH + 1))).toEqual({ body: { key: 'validation.maxLength', params: { n: MESSAGE_MAX_LENGTH } } });
  });
});
