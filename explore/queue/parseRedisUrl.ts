import { SystemConfigError } from '../../system/errors';

const RULE = 'must be redis://HOST:PORT or rediss://HOST:PORT (TLS), optionally with USER:PASSWORD@ and /DB';

/** Where a queue URL points, as ioredis takes it. @internal */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  /** `rediss://`: TLS, the server's certificate checked against `host` (Node's trusted CAs, or NODE_EXTRA_CA_CERTS). */
  readonly tls?: true;
}

/**
 * Reads a queue URL, `redis[s]://[user:password@]host:port[/db]`.
 * @param text - the URL as given
 * @param what - where it was given (for the error), e.g. `'--queue'`
 * @returns the connection options
 * @throws SystemConfigError for anything else (another scheme, no host, a bad port or database)
 * @internal
 */
export const parseRedisUrl = (text: string, what: string): RedisTarget => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SystemConfigError(text, RULE, what);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new SystemConfigError(text, `${RULE} (other schemes are not supported)`, what);
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
    ...(url.protocol === 'rediss:' ? { tls: true as const } : {}),
  };
};
