// health.listen: the forms a pod's manifest hands to FOYER__health__listen (images/README.md).
import { describe, expect, it } from "vitest";
import { ListenAddress } from "../../../src/spec/primitives.js";

describe("ListenAddress", () => {
  it.each([
    [4182, { host: "127.0.0.1", port: 4182 }],
    ["4182", { host: "127.0.0.1", port: 4182 }],
    [":4182", { host: "127.0.0.1", port: 4182 }],
    ["0.0.0.0:4182", { host: "0.0.0.0", port: 4182 }],
    ["10.244.3.17:4182", { host: "10.244.3.17", port: 4182 }], // $(POD_IP):4182 after the kubelet's expansion
    ["[fd00:10:244::17]:4182", { host: "fd00:10:244::17", port: 4182 }], // [$(POD_IP)]:4182 on IPv6
    ["pod.example.internal:4182", { host: "pod.example.internal", port: 4182 }],
  ])("reads %j", (input, want) => {
    expect(ListenAddress.parse(input)).toEqual(want);
  });

  it.each([
    ["fd00:10:244::17:4182", /IPv6 address in brackets/], // unbracketed IPv6
    ["$(POD_IP):4182", /host:port/], // the kubelet did not expand it (POD_IP defined after its use)
    ["0.0.0.0:70000", /1-65535/],
    ["0.0.0.0:0", /1-65535/],
  ])("refuses %j", (input, message) => {
    const r = ListenAddress.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join("; ")).toMatch(message);
  });
});
