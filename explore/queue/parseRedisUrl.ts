import { SystemConfigError } from '../../system/errors';
import type { RedisClientOptions } from './RedisClient';

const RULE = 'must be redis://HOST:PORT (optionally redis://[USER:PASSWORD@]HOST:PORT/DB)';

/**
 * Reads a queue URL, `redis://[user:password@]host:port[/db]`.
 * @param text - the URL as given
 * @param what - where it was given (for the error), e.g. `'--queue'`
 * @returns the connection options
 * @throws SystemConfigError for anything else (another scheme, no host, a bad port or database)
 * @internal
 */
export const parseRedisUrl = (text: string, what: string): Pick<RedisClientOptions, 'host' | 'port' | 'db' | 'username' | 'password'> => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SystemConfigError(text, RULE, what);
  }
  if (url.protocol !== 'redis:') throw new SystemConfigError(text, `${RULE} (rediss:// and other schemes are not supported)`, what);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new SystemConfigError(text, `${RULE}: no host`, what);
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isSafeInteger(port) || port < 1 || port > 65_535) throw new SystemConfigError(text, `${RULE}: bad port`, what);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,2}$/.test(path)) throw new SystemConfigError(text, `${RULE}: the database must be a number`, what);
  if (url.search !== '' || url.hash !== '') throw new SystemConfigError(text, `${RULE}: no query or fragment`, what);
  return {
    host,
    port,
    ...(path === '' ? {} : { db: Number(path) }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
  };
};
