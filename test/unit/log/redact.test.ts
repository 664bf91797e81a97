// The one redaction point: a secret is masked in every form foyer can write or print it, checked
// against the real renderers (not against the Redactor's own list of encodings). Every nasty value
// carries the marker "Zq7" on each of its lines: a redacted text may contain no "Zq7" at all.
import { describe, expect, it } from "vitest";
import { Logger, MIN_SECRET_LENGTH, Redactor } from "../../../src/log/index.js";
import { formatPlan, planInit, planJson } from "../../../src/plan/index.js";
import { formatJson, gcfgValue, renderDcf, renderGcfg, renderIni, renderProfiles } from "../../../src/render/index.js";
import { SpecSchema } from "../../../src/spec/schema.js";

const PEM = ["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCZq7BKcwggSjAgEAAoIBAQC7", "Zq7Uo2ExampleKeyMaterialForTestsOnly+/AbCdEfGhIjKl", "Zq7w==", "-----END PRIVATE KEY-----"].join("\n");

/** Values with every character an encoder touches: quote, backslash, newline, tab, control, unicode, HTML. */
export const NASTY: Record<string, string> = {
  quote: 'pa"ss\\word-Zq7',
  backslashes: "\\\\Zq7\\n\\t\\u0041",
  newline: "line-one-Zq7\nline-two-Zq7",
  crlf: "line-one-Zq7\r\nline-two-Zq7",
  tab: "tab\there-Zq7",
  control: "ctl\u0001\u001fZq7-x",
  unicode: "pässwörd-Zq7-密码",
  html: "</script><b>&'Zq7'",
  semicolon: "a;b#c = Zq7 ",
  pem: PEM,
};

const leaked = (text: string) => text.includes("Zq7");

function redactorFor(values: Record<string, string>): Redactor {
  const r = new Redactor();
  for (const [name, value] of Object.entries(values)) r.add(name, value);
  return r;
}

describe("Redactor: every encoded form, every nasty value", () => {
  for (const [name, value] of Object.entries(NASTY)) {
    const r = redactorFor({ [name]: value });
    it(`${name}: raw, trimmed, JSON, JSON of JSON, gcfg, DCF, ini, profiles`, () => {
      const json = formatJson({ pw: value, nested: { list: [value] } });
      const outputs: Record<string, string> = {
        raw: `before ${value} after`,
        trimmed: `x=${value.trim()}\n`,
        json,
        jsonOfJson: JSON.stringify({ content: json }),
        dcf: renderDcf({ Key: value, Other: "x" }, "t").text,
        dcfInJson: JSON.stringify(renderDcf([{ Key: value }], "t").text),
      };
      // gcfg has no escape for a carriage return: the renderer reports such a value instead
      if (!value.includes("\r")) {
        outputs.gcfg = renderGcfg({ Database: { Password: value, URL: `postgres://u:${value}@db/x` } }, "t").text;
        outputs.gcfgValue = `Password = ${gcfgValue(value)}`;
        outputs.gcfgInJson = JSON.stringify(renderGcfg({ Database: { Password: value } }, "t").text);
      }
      if (!/[\r\n]/.test(value)) {
        outputs.ini = renderIni({ password: value, section: { key: value } }, "t").text;
        outputs.profiles = renderProfiles({ "*": { "default-cpus": value } }, "t").text;
      }
      for (const [form, text] of Object.entries(outputs)) {
        expect(text, `${form} renders the value`).toContain("Zq7");
        const masked = r.redact(text);
        expect(leaked(masked), `${form}: ${masked}`).toBe(false);
        expect(masked, form).toContain(`<secret:${name}>`);
        expect(r.leaks(text), form).toBe(true);
      }
      // the JSON form still parses, with the secret replaced whole
      expect(JSON.parse(r.redact(json))).toEqual({ pw: `<secret:${name}>`, nested: { list: [`<secret:${name}>`] } });
    });
  }

  it("masks each line of a multi-line value printed one line at a time, long lines anywhere and short ones as whole lines", () => {
    const r = redactorFor({ key: PEM });
    const printed = PEM.split("\n").map((line) => r.redact(line));
    expect(printed).toEqual(["-----BEGIN PRIVATE KEY-----", "<secret:key>", "<secret:key>", "<secret:key>", "-----END PRIVATE KEY-----"]);
    expect(r.redact("key: Zq7Uo2ExampleKeyMaterialForTestsOnly+/AbCdEfGhIjKl (from file)")).toBe("key: <secret:key> (from file)");
    expect(r.redact("  Zq7w==  ")).toBe("  <secret:key>  ");
    // a short line of the value inside other text is left alone: it would match unrelated text
    expect(r.redact("ratio Zq7w== ok")).toBe("ratio Zq7w== ok");
    // PEM armor is public format text, not masked on its own
    expect(r.redact("-----BEGIN PRIVATE KEY-----")).toBe("-----BEGIN PRIVATE KEY-----");
  });

  it("redacts bytes whether or not they are UTF-8 (one stray byte must not let a secret through)", () => {
    const r = redactorFor({ uni: NASTY.unicode!, pem: PEM });
    const line = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(` ${NASTY.unicode} `), Buffer.from([0xc3])]);
    const out = r.redactBytes(line);
    expect(out.includes(Buffer.from("Zq7"))).toBe(false);
    expect(out.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(out.subarray(-1)).toEqual(Buffer.from([0xc3]));
    expect(out.toString("latin1")).toContain("<secret:uni>");
    expect(r.redactBytes(Buffer.from("Zq7w==\r")).toString()).toBe("<secret:pem>\r");
  });

  it("keeps the longest match whole and redacts keys and nested values of objects", () => {
    const r = redactorFor({ short: "abcdefgh", long: "abcdefgh-and-more" });
    expect(r.redact("abcdefgh-and-more abcdefgh")).toBe("<secret:long> <secret:short>");
    expect(r.redactDeep({ abcdefgh: ["x", { y: "abcdefgh-and-more" }], n: 1 })).toEqual({ "<secret:short>": ["x", { y: "<secret:long>" }], n: 1 });
    expect(r.redactDeep(new Error("failed with abcdefgh"))).toBe("failed with <secret:short>");
  });

  it("ignores blank values, and the bound is 8", () => {
    const r = redactorFor({ empty: "", blank: " \n " });
    expect(r.redact("text  \n ")).toBe("text  \n ");
    expect(MIN_SECRET_LENGTH).toBe(8);
  });
});

describe("Logger: redacts values before encoding them", () => {
  for (const format of ["text", "json"] as const) {
    it(`${format}: a quote, backslash or newline in a secret does not escape redaction`, () => {
      const r = redactorFor(NASTY);
      const lines: string[] = [];
      const log = new Logger({ level: "debug", format, redactor: r, sink: { write: (l) => void lines.push(l) }, now: () => new Date(0) });
      for (const value of Object.values(NASTY)) {
        log.info(`message with ${value}`, { field: value, nested: { list: [value, `x ${value} y`] }, content: formatJson({ pw: value }) });
      }
      for (const line of lines) expect(leaked(line), line).toBe(false);
      expect(lines).toHaveLength(Object.keys(NASTY).length);
    });
  }
});

describe("plan output of a spec using nasty secrets in every format", () => {
  const spec = SpecSchema.parse({
    secrets: Object.fromEntries(Object.keys(NASTY).map((n) => [n, { env: `S_${n.toUpperCase()}` }])),
    config: {
      dir: "/etc/rstudio",
      secret: { "database.conf": { password: "{{secret 'quote'}}" } },
      session: { "creds.json": Object.fromEntries(Object.keys(NASTY).map((n) => [n, `{{secret '${n}'}}`])) },
      gcfg: { "rstudio-connect.gcfg": { Database: Object.fromEntries(Object.keys(NASTY).filter((n) => n !== "crlf").map((n) => [n, `{{secret '${n}'}}`])) } },
      serverDcf: { "launcher-env": Object.fromEntries(Object.keys(NASTY).filter((n) => n !== "crlf").map((n) => [n, `{{secret '${n}'}}`])) },
    },
    files: [{ path: "/etc/app/key.pem", template: "{{secret 'pem'}}\n" }],
  });
  const { actions, issues } = planInit({ spec, secrets: new Map(Object.entries(NASTY)), env: {} });
  const r = redactorFor(NASTY);

  it("renders, and every file holding a secret is secret", () => {
    expect(issues).toEqual([]);
    const writes = actions.filter((a) => a.kind === "write-file");
    expect(writes.every((a) => a.secret && a.content.includes("Zq7"))).toBe(true);
  });

  it("plan, plan --json and redacted contents show none of them", () => {
    expect(leaked(formatPlan(actions, r))).toBe(false);
    expect(leaked(planJson(actions, r))).toBe(false);
    for (const a of actions) if (a.kind === "write-file") expect(leaked(r.redact(a.content)), a.path).toBe(false);
  });
});
