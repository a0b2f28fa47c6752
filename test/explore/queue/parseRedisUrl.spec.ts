import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../explore/queue/parseRedisUrl';
import { SystemConfigError } from '../../../system/errors';

describe('parseRedisUrl', () => {
  it('redis:// and rediss:// (TLS, the certificate checked against the host), with user, password and database', () => {
    expect(parseRedisUrl('redis://queue-host:6380', '--queue')).toEqual({ host: 'queue-host', port: 6380 });
    expect(parseRedisUrl('redis://queue-host', '--queue')).toEqual({ host: 'queue-host', port: 6379 });
    expect(parseRedisUrl('rediss://bob:p%40ss@[::1]:6390/2', '--queue')).toEqual({
      host: '::1',
      port: 6390,
      db: 2,
      username: 'bob',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis://:only-a-password@h:1', '--queue')).toEqual({ host: 'h', port: 1, password: 'only-a-password' });
  });

  it.each([
    ['http://localhost:6379', '(other schemes are not supported)'],
    ['redis:///0', ': no host'],
    ['redis://h:0', ': bad port'],
    ['redis://h:99999', ''],
    ['redis://h:6379/db', ': the database must be a number'],
    ['redis://h:6379?tls=1', ': no query or fragment'],
    ['not a url', ''],
  ])('%s is a SystemConfigError naming the option and the rule', (url, why) => {
    const error = (() => {
      try {
        parseRedisUrl(url, '--queue');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe(
      `--queue: "${url}" is invalid: must be redis://HOST:PORT or rediss://HOST:PORT (TLS), optionally with USER:PASSWORD@ and /DB${why === '' ? '' : why.startsWith(':') ? why : ` ${why}`}`,
    );
  });
});
