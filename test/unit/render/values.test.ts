import { describe, expect, test } from "vitest";
import { IssueList, plainDecimal, valueText } from "../../../src/render/values.js";

describe("valueText (one YAML value as config text)", () => {
  test("numbers are plain decimal, never Go's 1e+06 or JavaScript's 1e-7", () => {
    expect([1000000, 8787, -2500000, 0.5, 1e-7, -1.5e-7, 2 ** 53 - 1, 123.456].map(plainDecimal)).toEqual([
      "1000000",
      "8787",
      "-2500000",
      "0.5",
      "0.0000001",
      "-0.00000015",
      "9007199254740991",
      "123.456",
    ]);
  });

  test("strings as written, booleans true/false; null, maps, lists, huge integers and NaN are issues at the place", () => {
    const issues = new IssueList();
    expect(valueText("x y", "p", issues)).toBe("x y");
    expect(valueText(false, "p", issues)).toBe("false");
    expect([null, { a: 1 }, [1], 2 ** 60, NaN].map((v, i) => valueText(v, `p${i}`, issues))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(issues.issues.map((i) => i.path)).toEqual(["p0", "p1", "p2", "p3", "p4"]);
    expect(issues.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/<nil>/),
      expect.stringMatching(/map\[/),
      expect.stringMatching(/\[a b\]/),
      expect.stringMatching(/2\^53.*quote/),
      expect.stringMatching(/NaN/),
    ]);
  });
});
