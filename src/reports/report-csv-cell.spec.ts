import { neutraliseFormula, toCsv } from './report-csv-cell';

describe('neutraliseFormula', () => {
  const sut = neutraliseFormula;

  it.each([
    ['=1+1', "'=1+1"], ['+39 02 555', "'+39 02 555"], ['-2+3', "'-2+3"], ['@SUM(A1)', "'@SUM(A1)"], ['\tcmd', "'\tcmd"], ['\rcmd', "'\rcmd"], ['\0=1+1', "'\0=1+1"],
  ])('should prefix %p with a quote when a spreadsheet would run it', (cell, expected) => {
    expect(sut(cell)).toBe(expected);
  });

  it.each(['Anna Alba', 'Attività svolte', '', 'a=b', "'quoted"])('should keep %p as it is when it is plain text', (cell) => {
    expect(sut(cell)).toBe(cell);
  });

  it('should keep numbers as numbers, negative ones too, and write null as an empty cell', () => {
    expect([sut(-1.25), sut(0), sut(57.1), sut(null), sut(Number.NaN)]).toEqual([-1.25, 0, 57.1, '', '']);
  });
});

describe('toCsv', () => {
  const sut = toCsv;

  it('should quote cells that need it, end lines with CRLF and start with a BOM when writing rows', () => {
    expect(sut(['name', 'n'], [['Rossi, Maria', 3], ['say "ciao"', null]])).toBe('\uFEFFname,n\r\n"Rossi, Maria",3\r\n"say ""ciao""",\r\n');
  });

  it('should neutralise a formula even inside a quoted cell when writing rows', () => {
    expect(sut(['home'], [['=HYPERLINK("http://x")']])).toBe('\uFEFFhome\r\n"\'=HYPERLINK(""http://x"")"\r\n');
  });

  it('should write an Italian CSV as an Italian spreadsheet opens it: semicolons, a decimal comma, numbers bare', () => {
    const text = toCsv(['Ospite', 'Media'], [['Rossi, Anna', 1.25], ['=HYPERLINK()', -0.5]], 'it');
    expect(text).toBe('\uFEFFOspite;Media\r\nRossi, Anna;1,25\r\n\'=HYPERLINK();-0,5\r\n');
    expect(toCsv(['A', 'B'], [['x', 1.25]], 'en')).toBe('\uFEFFA,B\r\nx,1.25\r\n');
  });
});
