// Every user flow of the app as a named, target-independent check (HTTP tier; the browser tier mirrors them).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { execute, hostedUi, newUser, signIn, signUp, uniqueViewerIp } from "./steps.js";
import type { FlowTarget } from "./target.js";

export interface Flow {
  name: string;
  run(target: FlowTarget): Promise<void>;
}

const authenticatedAs = (username: string) =>
  `You are authenticated as ${username}. Lambda execution was successful.`;

/** A user who already exists: signed up (and confirmed) through the hosted UI by another browser. */
async function existingUser(target: FlowTarget) {
  const user = newUser("existing");
  await signUp(target, hostedUi(target), user);
  return user;
}

export const flows: Flow[] = [
  {
    name: "1. sign up, confirm with the code, execute: authenticated",
    async run(target) {
      const user = newUser("signup");
      const code = await signUp(target, hostedUi(target), user);
      const answer = await execute(target, code);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body?.message, authenticatedAs(user.username));
      assert.equal(answer.body?.username, user.username);
      assert.equal(answer.headers.get("access-control-allow-origin"), new URL(target.siteUrl).origin);
    },
  },
  {
    name: "2. sign in with an existing user, execute: authenticated",
    async run(target) {
      const user = await existingUser(target);
      const browser = hostedUi(target);
      const login = await browser.authorize({
        clientId: target.clientId,
        redirectUri: target.siteUrl,
        scope: "openid email",
      });
      assert.equal(login.page?.name, "login", "a new browser sees the login form");
      const { code } = await signIn(target, browser, user);
      const answer = await execute(target, code);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body?.message, authenticatedAs(user.username));
    },
  },
  {
    name: "3. execute again while signed in: a fresh single-use code, no password",
    async run(target) {
      const user = await existingUser(target);
      const browser = hostedUi(target);
      const first = await signIn(target, browser, user);
      assert.equal((await execute(target, first.code)).status, 200);
      // The hosted UI session answers the second authorize with a code, without the login page.
      const again = await browser.authorize({
        clientId: target.clientId,
        redirectUri: target.siteUrl,
        scope: "openid email",
        state: "execute",
      });
      assert.equal(again.page, undefined, "no login page while the session lasts");
      assert.ok(again.redirect?.code);
      assert.equal(again.redirect.state, "execute");
      assert.notEqual(again.redirect.code, first.code);
      const answer = await execute(target, again.redirect.code);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body?.message, authenticatedAs(user.username));
    },
  },
  {
    name: "4. guest: continue without signing in, execute: not authorized",
    async run(target) {
      const answer = await execute(target, undefined);
      assert.equal(answer.status, 401, answer.text);
      assert.match(answer.body?.message ?? "", /^Not authorized/);
    },
  },
  {
    name: "5. geo block: a viewer outside US/Canada is blocked by WAF and the function is not invoked",
    async run(target) {
      const before = await target.invocationCount();
      const answer = await execute(target, undefined, { country: "DE" });
      assert.equal(answer.status, 403);
      assert.equal(answer.body?.blocked, true, answer.text);
      assert.match(answer.body?.message ?? "", /blocked by AWS WAF/i);
      assert.equal(answer.headers.get("access-control-allow-origin"), new URL(target.siteUrl).origin);
      assert.equal(await target.invocationCount(), before, "the Function URL was never invoked");
      // Canada is allowed.
      assert.equal((await execute(target, undefined, { country: "CA" })).status, 401);
    },
  },
  {
    name: "6. return to home and sign out: the next sign-in asks for the password again",
    async run(target) {
      const user = await existingUser(target);
      const browser = hostedUi(target);
      await signIn(target, browser, user);
      const out = await browser.logout({ clientId: target.clientId, logoutUri: target.siteUrl });
      assert.equal(out.redirect?.location, target.siteUrl);
      const again = await browser.authorize({
        clientId: target.clientId,
        redirectUri: target.siteUrl,
        scope: "openid email",
      });
      assert.equal(again.page?.name, "login");
    },
  },
  {
    name: "7. bad codes: reused, expired, forged or another client's code: not authorized",
    async run(target) {
      const user = await existingUser(target);
      const browser = hostedUi(target);
      const { code } = await signIn(target, browser, user);
      assert.equal((await execute(target, code)).status, 200);
      const reused = await execute(target, code);
      assert.equal(reused.status, 401, reused.text);
      assert.match(reused.body?.message ?? "", /invalid, expired or already used/);
      assert.equal((await execute(target, randomUUID())).status, 401, "forged code");
      if (target.advanceTime) {
        const stale = await signIn(target, browser, user);
        await target.advanceTime(5 * 60_000 + 1_000);
        assert.equal((await execute(target, stale.code)).status, 401, "expired code");
      }
      if (target.otherClient) {
        const other = await hostedUi(target).signInForCode({
          clientId: target.otherClient.clientId,
          redirectUri: target.otherClient.redirectUri,
          scope: "openid email",
          ...user,
        });
        assert.equal((await execute(target, other.code)).status, 401, "code of another client");
      }
    },
  },
  {
    name: "8. rate limit: one client over the limit is blocked, another client is not",
    async run(target) {
      assert.ok(target.trustsForwardedFor, "this flow needs distinct viewer IPs (trust X-Forwarded-For)");
      const noisy = uniqueViewerIp();
      const quiet = uniqueViewerIp();
      const statuses: number[] = [];
      for (let i = 0; i < target.rateLimit + 1; i++) {
        statuses.push((await execute(target, undefined, { viewerIp: noisy })).status);
      }
      assert.deepEqual(
        new Set(statuses.slice(0, target.rateLimit)),
        new Set([401]),
        "under the limit: the function answers",
      );
      const blocked = await execute(target, undefined, { viewerIp: noisy });
      assert.equal(blocked.status, 403);
      assert.equal(blocked.body?.blocked, true);
      assert.equal(
        (await execute(target, undefined, { viewerIp: quiet })).status,
        401,
        "another client passes",
      );
      if (target.advanceTime) {
        await target.advanceTime(5 * 60_000 + 1_000);
        assert.equal(
          (await execute(target, undefined, { viewerIp: noisy })).status,
          401,
          "released after the window",
        );
      }
    },
  },
  {
    name: "9. bypass: calling the Function URL directly is refused",
    async run(target) {
      const user = await existingUser(target);
      const { code } = await signIn(target, hostedUi(target), user);
      const direct = await execute(target, code, { url: target.functionUrl });
      assert.equal(direct.status, 403, direct.text);
      assert.match(direct.body?.message ?? "", /CloudFront/);
      // The code was not spent by the refused call: through CloudFront it still works.
      assert.equal((await execute(target, code)).status, 200);
    },
  },
  {
    name: "10. hosted UI errors: wrong password, unknown user, weak password, existing username",
    async run(target) {
      const user = await existingUser(target);
      const browser = hostedUi(target);
      await browser.authorize({
        clientId: target.clientId,
        redirectUri: target.siteUrl,
        scope: "openid email",
      });
      const wrong = await browser.signIn(user.username, "Wrong-password-1!");
      assert.equal(wrong.page?.error, "Incorrect username or password.");
      assert.equal(wrong.redirect, undefined, "no code issued");
      const unknown = await browser.signIn(`nobody${randomUUID().slice(0, 8)}`, "Whatever-1!");
      assert.equal(unknown.page?.error, "Incorrect username or password.");
      await browser.openSignUp();
      const weak = await browser.signUp({ ...newUser("weak"), password: "weakpassword" });
      assert.match(weak.page?.error ?? "", /^Password did not conform with policy/);
      const taken = await browser.signUp({ ...newUser("dup"), username: user.username });
      assert.equal(taken.page?.error, "User already exists");
      assert.equal(taken.redirect, undefined);
    },
  },
];
