import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, with its development
 * sign-in pages: any login name is an account whose e-mail claim is that name. Beside it, a
 * forging proxy that presents itself as another issuer and re-signs the ID tokens the provider
 * issues — correctly, or with a wrong issuer, audience, nonce or signing key — to show that Kring
 * refuses each forgery.
 */

export type Forgery = 'none' | 'wrong_issuer' | 'wrong_audience' | 'wrong_nonce' | 'bad_signature';

export interface TestIdentityProvider {
  issuer: string;
  forgingIssuer: string;
  clientId: string;
  clientSecret: string;
  forge: Forgery;
  /** Sign in as `login` from an authorization URL; answers the callback URL's query string. */
  signIn(authorizationUrl: string, login: string): Promise<string>;
  close(): Promise<void>;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(payload));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(signature)}`;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startIdentityProvider(redirectUri: string): Promise<TestIdentityProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = 'test-key';
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };

  let handler: http.RequestListener = () => {};
  const server = http.createServer((req, res) => handler(req, res));
  const issuer = await listen(server);
  const clientId = 'kring';
  const clientSecret = 'kring-test-client-secret';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as never] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The directory's account id (the subject) is "subject-" and the e-mail address.
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id.replace(/^subject-/, ''), email_verified: true }),
    }),
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    features: { devInteractions: { enabled: true } },
  });
  handler = provider.callback();

  const state: TestIdentityProvider = {
    issuer,
    forgingIssuer: '',
    clientId,
    clientSecret,
    forge: 'none',
    signIn: async (authorizationUrl, login) => {
      const cookies = new Map<string, string>();
      const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const keep = (response: Response) => {
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair?.indexOf('=') ?? -1;
          if (pair && at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
      };
      let url = authorizationUrl;
      for (let step = 0; step < 20; step++) {
        if (url.startsWith(redirectUri)) {
          // Started at the forging proxy: the answer names the issuer the proxy pretends to be.
          const back = new URL(url);
          if (authorizationUrl.startsWith(state.forgingIssuer) && back.searchParams.get('iss') === issuer) {
            back.searchParams.set('iss', state.forgingIssuer);
          }
          return back.search;
        }
        const page = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
        keep(page);
        const location = page.headers.get('location');
        if (location) {
          url = new URL(location, url).href;
          continue;
        }
        const html = await page.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
        if (!action || !prompt) throw new Error(`unexpected page from the provider (${page.status})`);
        const form = new URLSearchParams(
          prompt === 'login' ? { prompt, login: `subject-${login}`, password: 'any' } : { prompt },
        );
        const posted = await fetch(new URL(action, url), {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
        keep(posted);
        const next = posted.headers.get('location');
        if (!next) throw new Error(`the provider did not continue (${posted.status})`);
        url = new URL(next, url).href;
      }
      throw new Error('sign-in at the provider did not finish');
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await new Promise((resolve) => forging.close(resolve));
    },
  };

  // The forging proxy: the provider's metadata and answers under another issuer, ID tokens re-signed.
  const forging = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length'),
    ) as Record<string, string>;
    const upstream = await fetch(`${issuer}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: 'manual',
    });
    let body = await upstream.text();
    const rewrite = (text: string) =>
      text
        .replaceAll(issuer, state.forgingIssuer)
        .replaceAll(encodeURIComponent(issuer), encodeURIComponent(state.forgingIssuer));
    if (req.url?.startsWith('/.well-known/')) body = rewrite(body);
    if (req.url?.startsWith('/token') && upstream.ok) {
      const tokens = JSON.parse(body) as { id_token: string };
      const payload = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString());
      payload.iss = state.forge === 'wrong_issuer' ? 'https://evil.example' : state.forgingIssuer;
      if (state.forge === 'wrong_audience') payload.aud = 'another-client';
      if (state.forge === 'wrong_nonce') payload.nonce = 'forged-nonce';
      tokens.id_token = signJwt(payload, state.forge === 'bad_signature' ? otherKey : privateKey, kid);
      body = JSON.stringify(tokens);
    }
    const out: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' };
    const location = upstream.headers.get('location');
    if (location) out.location = rewrite(location);
    const setCookies = upstream.headers.getSetCookie();
    res.writeHead(upstream.status, { ...out, ...(setCookies.length ? { 'set-cookie': setCookies } : {}) });
    res.end(body);
  });
  state.forgingIssuer = await listen(forging);
  return state;
}
