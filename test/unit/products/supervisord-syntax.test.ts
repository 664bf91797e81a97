// supervisord's own ways of splitting a command, reading KEY=val lists and expanding %(name)s,
// checked against what Python's shlex and %-formatting do.
import { describe, expect, it } from "vitest";
import { keyValuePairs, shlexSplit } from "../../../src/products/supervisord/shlex.js";
import { expand } from "../../../src/products/supervisord/expand.js";
import { parseIni, type IniError, type IniSection } from "../../../src/products/supervisord/ini.js";

describe("splitting and expanding as supervisord does", () => {
  it("command: shlex.split", () => {
    expect(shlexSplit(`bash -c "printf 'READY\\n' && kill -SIGQUIT $PPID"`)).toEqual(["bash", "-c", "printf 'READY\\n' && kill -SIGQUIT $PPID"]);
    expect(shlexSplit(`a "" 'b\\c' "d\\"e\\\\f" g\\ h`)).toEqual(["a", "", "b\\c", 'd"e\\f', "g h"]);
    expect(shlexSplit("x  'y'z\tw")).toEqual(["x", "yz", "w"]);
    expect(shlexSplit(`a 'b`)).toEqual({ error: "no closing quotation" });
    expect(shlexSplit(`a \\`)).toEqual({ error: "no escaped character" });
  });

  it("environment: KEY=val pairs with supervisord's tokenizer", () => {
    expect(keyValuePairs(`A="x, y",B='z',C=/a/b.c:d-(e)+f`)).toEqual({ A: "x, y", B: "z", C: "/a/b.c:d-(e)+f" });
    // shlex returns the quotes with the token; supervisord strips them only when they surround it
    expect(keyValuePairs(`A=pre"x y"`)).toEqual({ A: 'pre"x' });
    expect(keyValuePairs("A=1 # a comment\n,B=2")).toEqual({ A: "1", B: "2" });
    expect(keyValuePairs("A=x@y")).toMatchObject({ error: expect.stringContaining("unexpected end of KEY=value pairs") });
    expect(keyValuePairs('A="x')).toEqual({ error: "no closing quotation" });
  });

  it("%(name)s expansion", () => {
    expect(expand("%(program_name)s-%(process_num)02d %(n)5d|%(n)-3d|%%", { program_name: "web", process_num: 3, n: 42 })).toBe("web-03    42|42 |%");
    expect(expand("100%", {})).toEqual({ error: "a lone % (write %% for a percent sign)" });
    expect(expand("%(ENV_X)s", {})).toEqual({ error: "%(ENV_X)s names nothing supervisord knows (environment variable X is not set)" });
    expect(expand("%(here)s/x", { here: "/startup/custom" })).toBe("/startup/custom/x");
  });
});

describe("reading the file as Python's RawConfigParser does", () => {
  it("continuation lines (also after an empty first line), blank lines inside a value, comments, `:` as delimiter", () => {
    const sections = new Map<string, IniSection>();
    const errors: IniError[] = [];
    const text = ["[program:a]", "environment=", '    A="1",', "", "    ; a comment line is not part of it", '    B="2"', "", "Command : run  # trailing comment", "x=1;2 ;comment", "[program:b]"].join("\n");
    parseIni("/f.conf", text, sections, errors);
    expect(errors).toEqual([]);
    const a = sections.get("program:a")!;
    expect(Object.fromEntries([...a.entries].map(([k, e]) => [k, [e.value, e.line]]))).toEqual({
      environment: ['\nA="1",\n\nB="2"', 2],
      command: ["run", 8],
      x: ["1;2", 9],
    });
    expect(sections.get("program:b")).toMatchObject({ line: 10, file: "/f.conf" });
  });
});
