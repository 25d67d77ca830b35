import { harmfulModes, SESSION_SQL_MODE } from './mysql-session';

describe('the pinned MySQL session sql_mode', () => {
  it('names the server defaults it overrides because they change what our SQL means', () => {
    expect(
      harmfulModes('STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES,ansi_quotes,NO_ENGINE_SUBSTITUTION'),
    ).toEqual(['NO_BACKSLASH_ESCAPES', 'ANSI_QUOTES']);
    expect(harmfulModes('PIPES_AS_CONCAT,ORACLE')).toEqual(['PIPES_AS_CONCAT', 'ORACLE']);
    expect(harmfulModes('STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO')).toEqual([]);
    expect(harmfulModes('')).toEqual([]);
  });

  it('has none of them itself, and is strict', () => {
    expect(harmfulModes(SESSION_SQL_MODE)).toEqual([]);
    expect(SESSION_SQL_MODE.split(',')).toContain('STRICT_TRANS_TABLES');
  });
});
