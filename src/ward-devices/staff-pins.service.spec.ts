import { isTrivialPin, PIN_PATTERN } from './staff-pins.service';

describe('PIN rules', () => {
  it('should call one digit repeated and straight runs trivial', () => {
    for (const sut of ['000000', '777777', '123456', '456789', '987654', '543210']) expect([sut, isTrivialPin(sut)]).toEqual([sut, true]);
  });

  it('should accept PINs that are not', () => {
    for (const sut of ['482915', '112233', '121212', '135790', '123457', '210987']) expect([sut, isTrivialPin(sut)]).toEqual([sut, false]);
  });

  it('should take exactly six digits', () => {
    expect(['482915', '48291', '4829150', '48291a', ' 48291', '٤٨٢٩١٥'].map((pin) => PIN_PATTERN.test(pin))).toEqual([true, false, false, false, false, false]);
  });
});
