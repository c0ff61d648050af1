import { BadRequestError, UnsupportedMediaTypeError } from '../errors/domain-errors';
import { MAX_JSON_DEPTH, nestsDeeperThan, verifyJsonBody } from './body-bounds';

const sut = nestsDeeperThan;
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('nestsDeeperThan', () => {
  it('should find no excess when the nesting is at the bound', () => {
    expect(sut(bytes(`${'['.repeat(32)}${']'.repeat(32)}`), 32)).toBe(false);
    expect(sut(bytes('{"a":{"b":[1,{"c":[]}]}}'), 5)).toBe(false);
  });

  it('should find the excess when arrays and objects nest past the bound', () => {
    expect(sut(bytes(`${'['.repeat(33)}${']'.repeat(33)}`), 32)).toBe(true);
    expect(sut(bytes('{"a":{"b":[1,{"c":[]}]}}'), 4)).toBe(true);
    expect(sut(bytes('['.repeat(40_000)), 32)).toBe(true);
  });

  it('should not count brackets inside strings, escaped quotes included, when a string holds them', () => {
    expect(sut(bytes(`{"a":"${'[{'.repeat(100)}","b":"\\"[[[[","c":"é😀[["}`), 1)).toBe(false);
    expect(sut(bytes('["\\\\",[[]]]'), 2)).toBe(true);
  });
});

describe('verifyJsonBody', () => {
  it('should refuse with 400 naming the bound when a body nests too deep', () => {
    expect(() => verifyJsonBody({} as never, {}, bytes('['.repeat(MAX_JSON_DEPTH + 1)), 'utf-8')).toThrow(BadRequestError);
  });

  it('should refuse with 415 when the body is not UTF-8', () => {
    expect(() => verifyJsonBody({} as never, {}, Buffer.from('[]', 'utf16le'), 'utf-16le')).toThrow(UnsupportedMediaTypeError);
  });

  it('should accept an ordinary body', () => {
    expect(() => verifyJsonBody({} as never, {}, bytes('{"email":"a@b.c","password":"x"}'), 'utf-8')).not.toThrow();
  });
});
