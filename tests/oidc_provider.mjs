// A real OpenID Provider for the tests: the npm package oidc-provider (a certified
// implementation) on a loopback port, with the clients and users the test fixture passes in
// OIDC_CLIENTS and OIDC_USERS (JSON). Prints "READY <issuer>" once it listens; ends on
// SIGTERM. Logging in is a small form of its own (the package's development screens log in
// by account id only): a user types their e-mail address or id; consent is implied.
import crypto from "node:crypto";
import http from "node:http";
import { URLSearchParams } from "node:url";

import Provider from "oidc-provider";

const clients = JSON.parse(process.env.OIDC_CLIENTS || "[]");
const users = JSON.parse(process.env.OIDC_USERS || "[]");

function account(login) {
  const wanted = String(login || "").trim().toLowerCase();
  return users.find((u) => u.sub === wanted || String(u.email).toLowerCase() === wanted);
}

function page(res, status, body) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><title>Test provider</title></head>
<body><main><h1>Test provider</h1>${body}</main></body></html>`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (chunk) => { data += chunk; if (data.length > 10000) req.destroy(); });
    req.on("end", () => resolve(new URLSearchParams(data)));
    req.on("error", reject);
  });
}

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: crypto.randomUUID(),
    alg: "RS256", use: "sig" };

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false, // email in the ID token itself
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: Number(process.env.OIDC_ID_TOKEN_TTL || 3600) },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const user = users.find((u) => u.sub === id);
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: user.email, email_verified: user.email_verified !== false,
            name: user.name || id };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const { clientId } = ctx.oidc.client;
      const existing = ctx.oidc.session.grantIdFor(clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();

  server.on("request", async (req, res) => {
    if (!req.url.startsWith("/interaction/")) return handle(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === "GET") {
        return page(res, 200, `<form method="post" action="/interaction/${details.uid}">
<label for="login">E-mail</label> <input id="login" name="login" autofocus>
<input type="hidden" name="prompt" value="login">
<button type="submit">Sign in</button></form>`);
      }
      const form = await readBody(req);
      const user = account(form.get("login"));
      if (!user) return page(res, 200, "<p>Unknown user.</p>");
      return provider.interactionFinished(req, res, { login: { accountId: user.sub } },
        { mergeWithLastSubmission: false });
    } catch (error) {
      return page(res, 400, `<p>${String(error.message).replace(/[<>&]/g, "")}</p>`);
    }
  });
  process.stdout.write(`READY ${issuer}\n`);
});

process.on("SIGTERM", () => { server.close(); process.exit(0); });
