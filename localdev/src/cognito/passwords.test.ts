import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords.js";

describe("passwords", () => {
  it("stores a salted hash with its cost and verifies only the right password", async () => {
    const stored = await hashPassword("Passw0rd!");
    expect(stored).toMatch(/^scrypt\$N=1024,r=8,p=1\$[^$]+\$[^$]+$/);
    expect(stored).not.toContain("Passw0rd!");
    expect(await verifyPassword("Passw0rd!", stored)).toBe(true);
    expect(await verifyPassword("passw0rd!", stored)).toBe(false);
  });

  it("still verifies hashes written before the cost was stored (Node's default cost)", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64")}$${scryptSync("Old-pass1", salt, 32).toString("base64")}`;
    expect(await verifyPassword("Old-pass1", legacy)).toBe(true);
    expect(await verifyPassword("Old-pass2", legacy)).toBe(false);
  });

  it("refuses a tampered or unknown hash instead of throwing", async () => {
    const stored = await hashPassword("Passw0rd!");
    expect(await verifyPassword("Passw0rd!", stored.replace("N=1024", "N=999999999"))).toBe(false);
    expect(await verifyPassword("Passw0rd!", "md5$abc")).toBe(false);
    expect(await verifyPassword("Passw0rd!", undefined)).toBe(false);
  });
});
