import { COMMANDS } from './cli-options';
import { readCommandLine } from './cli-support';

describe('readCommandLine (strict command-line options)', () => {
  it('should read the declared options of a command', () => {
    const read = readCommandLine(['--home', 'casa-serena', '--quarter', '2026-Q3', '--out', 'r.pdf', '--without-names', '--locale=en'], COMMANDS.report);
    expect(read).toEqual({
      ok: true,
      line: { values: { home: 'casa-serena', quarter: '2026-Q3', out: 'r.pdf', 'without-names': true, locale: 'en' }, positionals: [] },
    });
  });

  it('should refuse a misspelt flag, naming it, instead of ignoring it', () => {
    // The typo that printed the names (issue 18, item 11).
    expect(readCommandLine(['--home', 'x', '--quarter', '2026-Q3', '--out', 'r.pdf', '--withou-names'], COMMANDS.report)).toEqual({ ok: false, error: 'Unknown option --withou-names' });
    expect(readCommandLine(['-o', 'r.pdf'], COMMANDS.report)).toEqual({ ok: false, error: 'Unknown option -o' });
    expect(readCommandLine(['--database', 'sqlite:x', '--verbose'], COMMANDS.auditVerify)).toEqual({ ok: false, error: 'Unknown option --verbose' });
  });

  it('should refuse an option without its value, naming it', () => {
    expect(readCommandLine(['--out'], COMMANDS.backup)).toEqual({ ok: false, error: '--out needs a value' });
    // The next option is not taken for the value.
    expect(readCommandLine(['--home', '--quarter', '2026-Q3'], COMMANDS.report)).toMatchObject({ ok: false, error: expect.stringMatching(/^--home needs a value/) });
    expect(readCommandLine(['--homes', '2', '--residents'], COMMANDS.seedSynthetic)).toEqual({ ok: false, error: '--residents needs a value' });
  });

  it('should refuse a value given to a flag and a stray word', () => {
    expect(readCommandLine(['--out', 'b.sqlite', '--force=yes'], COMMANDS.backup)).toEqual({ ok: false, error: '--force takes no value' });
    expect(readCommandLine(['--out', 'b.sqlite', 'extra'], COMMANDS.backup)).toEqual({ ok: false, error: 'Unexpected argument "extra"' });
    expect(readCommandLine(['--postgres'], COMMANDS.crashTest)).toEqual({ ok: false, error: '--postgres needs a value' });
    expect(readCommandLine(['--seconds', '5'], COMMANDS.bench)).toEqual({ ok: false, error: 'Unknown option --seconds' });
  });

  it('should take words only where the command has them (migrate up|down)', () => {
    expect(readCommandLine(['up'], COMMANDS.migrate)).toEqual({ ok: true, line: { values: {}, positionals: ['up'] } });
    expect(readCommandLine(['up', '--fake'], COMMANDS.migrate)).toEqual({ ok: false, error: 'Unknown option --fake' });
  });

  it('should give every command a usage line and declare each option once with a type', () => {
    for (const [command, spec] of Object.entries(COMMANDS)) {
      expect(spec.usage).toMatch(/^Usage: /);
      for (const [name, option] of Object.entries(spec.options)) {
        expect(['string', 'boolean']).toContain(option.type);
        // Every option is documented in the usage line.
        expect(`${command}: ${spec.usage}`).toContain(`--${name}`);
      }
    }
  });
});
