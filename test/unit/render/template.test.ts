import { describe, expect, test } from "vitest";
import { createTemplateEngine, renderTree } from "../../../src/render/index.js";

const engine = createTemplateEngine({
  env: { HOSTNAME: "wb-0", EMPTY: "" },
  secrets: new Map([["db", "s3cr3t-pw"]]),
  declaredSecrets: new Set(["db", "optional-token"]),
});
const at = "files[2].template";

describe("templates", () => {
  test("env, secret, default and required helpers; no HTML escaping", () => {
    const r = engine.render(`host={{env "HOSTNAME"}}\npw={{secret "db"}}\nport={{default (env "PORT") 8787}}\nurl=<{{required (env "HOSTNAME") "need a host"}}&x>\n`, at);
    expect(r).toEqual({ text: "host=wb-0\npw=s3cr3t-pw\nport=8787\nurl=<wb-0&x>\n", issues: [], secretsUsed: ["db"] });
  });

  test("an undefined variable is an issue naming the template and the variable (every one, not just the first)", () => {
    const r = engine.render("a={{nope}}\nb={{deep.path}}\nc={{env.HOSTNAME}}", at);
    expect(r.issues).toEqual([
      { path: at, message: 'undefined variable "nope" (line 1, column 5)' },
      { path: at, message: 'undefined variable "deep.path" (line 2, column 5)' },
    ]);
    expect(r.text).toBe("a=\nb=\nc=wb-0");
  });

  test("issues before an undefined variable are reported once, not once per retry", () => {
    const r = engine.render('{{env "NOPE"}} {{a}} {{secret "typo"}} {{b}}', at);
    expect(r.issues.map((i) => i.message)).toEqual([
      'undefined variable "a" (line 1, column 18)',
      'undefined variable "b" (line 1, column 42)',
      expect.stringContaining('environment variable "NOPE" is not set'),
      'secret "typo" is not declared under `secrets:`',
    ]);
  });

  test("a missing env var is an issue unless default/if handle it", () => {
    expect(engine.render('{{env "NOPE"}}', at).issues).toEqual([{ path: at, message: expect.stringContaining('environment variable "NOPE" is not set') }]);
    expect(engine.render('{{#if (env "NOPE")}}yes{{else}}no{{/if}}{{#unless (env "NOPE")}}!{{/unless}}', at)).toMatchObject({ text: "no!", issues: [] });
    expect(engine.render('{{default (env "EMPTY") "fallback"}}', at)).toMatchObject({ text: "fallback", issues: [] });
  });

  test("secrets: undeclared and declared-but-absent read differently; neither leaks a value", () => {
    const r = engine.render('{{secret "typo"}}{{secret "optional-token"}}', at);
    expect(r.issues.map((i) => i.message)).toEqual(['secret "typo" is not declared under `secrets:`', 'secret "optional-token" has no value (it is optional and was not found)']);
    expect(r.secretsUsed).toEqual([]);
  });

  test("required with an empty value reports the user's message", () => {
    expect(engine.render('{{required (env "EMPTY") "set EMPTY to the licence server"}}', at).issues).toEqual([{ path: at, message: "set EMPTY to the licence server" }]);
  });

  test("syntax errors are one issue with the parser's position; a template file labels its messages", () => {
    const r = engine.render("{{#if x}}unclosed", "files[0].templateFile", "/etc/foyer/t.tpl");
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toBe("files[0].templateFile");
    expect(r.issues[0]!.message).toMatch(/^\/etc\/foyer\/t\.tpl: template syntax error: .*line 1/);
  });

  test("renderTree templates every string under config and tracks secrets", () => {
    const r = renderTree({ provider: "postgresql", password: "{{secret 'db'}}", list: ["{{env 'HOSTNAME'}}", 3], bad: "{{oops}}" }, "config.secret.database.conf", engine);
    expect(r.value).toEqual({ provider: "postgresql", password: "s3cr3t-pw", list: ["wb-0", 3], bad: "" });
    expect(r.secretsUsed).toEqual(["db"]);
    expect(r.issues).toEqual([{ path: "config.secret.database.conf.bad", message: 'undefined variable "oops" (line 1, column 3)' }]);
  });
});
