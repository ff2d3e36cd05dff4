const LOOPBACK_HOSTS: ReadonlyArray<string> = ['127.0.0.1', 'localhost', '[::1]'];

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
}

/**
 * The docs require the redirect_uri to be "the same registered on your app's detail page": an
 * exact string match. Loopback URIs additionally match on any port (RFC 8252 §7.3), so native
 * apps and tests can listen on an ephemeral port.
 */
export function isRegisteredRedirectUri(requested: string, registered: ReadonlyArray<string>): boolean {
  const url = parse(requested);
  // RFC 6749 §3.1.2: the endpoint URI MUST NOT include a fragment component.
  if (url === undefined || url.hash !== '' || requested.includes('#')) return false;
  if (registered.includes(requested)) return true;
  if (!isLoopback(url)) return false;
  return registered.some((candidate) => {
    const known = parse(candidate);
    return (
      known !== undefined &&
      isLoopback(known) &&
      known.hostname === url.hostname &&
      known.pathname === url.pathname &&
      known.search === url.search
    );
  });
}
