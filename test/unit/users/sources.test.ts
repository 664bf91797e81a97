// The Posit test user from the images' environment, and SHA-512 crypt against openssl's vectors.
import { describe, expect, it } from "vitest";
import { sha512Crypt, hashKeepingMatch } from "../../../src/users/sha512-crypt.js";
import { staticCandidates, testUserCandidates } from "../../../src/users/sources.js";
import { StaticSourceSchema } from "../../../src/users/schema.js";

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
