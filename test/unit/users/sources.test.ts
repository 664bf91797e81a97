// The Posit test user from the images' environment, and SHA-512 crypt against openssl's vectors.
import { describe, expect, it } from "vitest";
import { sha512Crypt, hashKeepingMatch } from "../../../src/users/sha512-crypt.js";
import { staticCandidates, testUserCandidates } from "../../../src/users/sources.js";
import { StaticSourceSchema, UsersSchema } from "../../../src/users/schema.js";
import { testUserPassword } from "../../../src/users/test-user-password.js";

describe("env test user", () => {
  it("PWB_ falls back to RSW_, uid 10000 by default, a group of its own", () => {
    const r = testUserCandidates({ RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio-pw" }, "s");
    expect(r.users).toEqual([expect.objectContaining({ name: "rstudio", uid: "10000", gid: "10000", plainPassword: "rstudio-pw", shell: "/bin/bash", origin: "RSW_TESTUSER" })]);
    expect(r.groups).toEqual([expect.objectContaining({ name: "rstudio", gid: "10000" })]);
    const p = testUserCandidates({ PWB_TESTUSER: "pwb", RSW_TESTUSER: "rstudio", RSW_TESTUSER_UID: "12000" }, "s");
    expect(p.users[0]).toMatchObject({ name: "pwb", uid: "12000", plainPassword: undefined, origin: "PWB_TESTUSER" });
  });
  it("no name (PWB_TESTUSER empty, the new images' default): no user", () => {
    expect(testUserCandidates({ PWB_TESTUSER: "", RSW_TESTUSER: "rstudio" }, "s").users).toEqual([]);
    expect(testUserCandidates({}, "s").users).toEqual([]);
  });
});

describe("static source", () => {
  it("a user's groups: make it a member of the groups of that name", () => {
    const src = StaticSourceSchema.parse({ type: "static", users: [{ name: "ann", uid: 5000, groups: ["team"] }], groups: [{ name: "team", gid: 6000, members: ["bo"] }] });
    const r = staticCandidates(src, "s");
    expect(r.users[0]).toMatchObject({ name: "ann", uid: 5000, gid: 5000 });
    expect(r.groups[0]!.members).toEqual(["bo", "ann"]);
  });
  it("refuses a plain password where a hash is expected", () => {
    expect(StaticSourceSchema.safeParse({ type: "static", users: [{ name: "ann", uid: 5000, passwordHash: "secret" }] }).success).toBe(false);
  });
});

describe("sha512Crypt", () => {
  it("matches `openssl passwd -6` (short, empty salt edge, longer than 64 bytes, rounds)", () => {
    expect(sha512Crypt("rstudio", "saltsaltsalt1234")).toBe("$6$saltsaltsalt1234$L64mo2CQNeQ5eeXmyBRURSxf6mDl4Y31Ff2WyumOlEfClHVZLweZQZYJsRa5YDj9AHiusfQIE4svP2gnaDHmY/");
    expect(sha512Crypt("a much longer password that exceeds sixty four bytes in length for sure, yes indeed", "xyz")).toBe(
      "$6$xyz$vKpBckY5QZc9cMAqjVUeaF/VJRrTmhMtOnTKcUTmEh1utPwMC/W4FHwBJfNarS.CohCAbvjY656UXmDJVx6y61",
    );
    // glibc's own test vector (crypt-sha512 spec)
    expect(sha512Crypt("Hello world!", "saltstring")).toBe("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
    expect(sha512Crypt("Hello world!", "saltstringsaltstring", 10000)).toBe("$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.");
  });
  it("keeps a hash that matches, makes a new one that does not", () => {
    const h = sha512Crypt("pw-one", "abc");
    expect(hashKeepingMatch("pw-one", h, () => "zzz")).toBe(h);
    expect(hashKeepingMatch("pw-two", h, () => "zzz")).toBe(sha512Crypt("pw-two", "zzz"));
  });
});

describe("the test user's password rule (any spec with an env-test-user source)", () => {
  const users = UsersSchema.parse({ sources: [{ type: "env-test-user" }] });
  it("Posit's public default: a warning, no secret; another password: a secret of 8+; no source: nothing", () => {
    const def = testUserPassword(users, { RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio" });
    expect([def.secret, def.issues, def.warnings.length, def.keptFromPrograms]).toEqual([undefined, [], 1, ["PWB_TESTUSER_PASSWD", "RSW_TESTUSER_PASSWD"]]);
    expect(testUserPassword(users, { RSW_TESTUSER: "rs", RSW_TESTUSER_PASSWD: "long-enough" }).secret).toEqual({ name: "test-user-password", value: "long-enough" });
    const short = testUserPassword(users, { RSW_TESTUSER: "rs", RSW_TESTUSER_PASSWD: "  short  " });
    expect(short.issues).toEqual([expect.objectContaining({ path: "RSW_TESTUSER_PASSWD", where: "env RSW_TESTUSER_PASSWD" })]);
    expect(short.secret).toBeUndefined();
    // no test user, or no password (a locked account): nothing to judge, the variables still kept from programs
    expect(testUserPassword(users, { RSW_TESTUSER_PASSWD: "x" })).toEqual({ issues: [], warnings: [], keptFromPrograms: ["PWB_TESTUSER_PASSWD", "RSW_TESTUSER_PASSWD"] });
    expect(testUserPassword(UsersSchema.parse({ sources: [] }), { RSW_TESTUSER: "rs", RSW_TESTUSER_PASSWD: "x" })).toEqual({ issues: [], warnings: [], keptFromPrograms: [] });
  });
});
