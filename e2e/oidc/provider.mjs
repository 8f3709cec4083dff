// A real OpenID Connect provider (the npm package oidc-provider) for the portal's SSO tests.
//
//   node e2e/oidc/provider.mjs --redirect-uri URI --client-id ID --client-secret SECRET \
//        [--port 0] [--accounts JSON]
//
// Listens on 127.0.0.1 only (port 0: a free one the system picks), with one confidential
// client using the authorization-code flow and RS256 ID tokens signed by a key made at
// start-up. Logging in goes through the package's development interaction (any login, any
// password). The login is looked up in --accounts, a JSON object {login: {claim: value}};
// an unlisted login gets {email: login, email_verified: true}. When ready it prints one
// line, {"issuer": "http://127.0.0.1:PORT"}, so the caller knows where it is.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_TEST_PORT ?? '0' },
    'redirect-uri': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    accounts: { type: 'string', default: '{}' },
  },
});
for (const required of ['redirect-uri', 'client-id', 'client-secret']) {
  if (!args[required]) {
    console.error(`--${required} is required`);
    process.exit(2);
  }
}
const accounts = JSON.parse(args.accounts);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args['redirect-uri']],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['family_name', 'given_name', 'middle_name', 'name'],
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, login) {
    const claims = accounts[login] ?? { email: login, email_verified: true };
    return {
      accountId: login,
      async claims() {
        return { sub: login, ...claims };
      },
    };
  },
};

const server = createServer();
server.listen(Number(args.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  // The development pages @import a web font from the internet: this machine stays offline.
  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.type === 'text/html') {
      ctx.body = ctx.body.replace(/@import url\(https?:[^)]*\);?/g, '');
    }
  });
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
