// Small reusable schema pieces: durations, modes, paths, user names.
import * as z from "zod";
import { parseDuration } from "./duration.js";
import { parseUserSpec, USER_SPEC_PATTERN } from "../identity/user-spec.js";

export { parseDuration };

/** A duration written as "10s" / "500ms" / "2m" or a number of seconds; parsed to milliseconds. */
export const Duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `expected a duration like "10s", "500ms" or "2m", got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'Duration: "500ms", "10s", "2m", "1h", or a number of seconds' });

/** A file mode: octal string "0640"/"640" or a number (decimal 416 = 0o640). */
export const FileMode = z
  .union([
    z.string().regex(/^0?[0-7]{3,4}$/, 'expected an octal mode like "0644"'),
    z
      .number()
      .int()
      .min(0)
      .max(0o7777)
      .superRefine((n, ctx) => {
        // `mode: 644` / `mode: 0644` unquoted: YAML reads decimal 644 (= 0o1204, sticky bit). Decimal
        // modes up to 511 (0o777, Kubernetes' defaultMode: 420 style) stay accepted.
        if (n > 0o777 && /^[0-7]+$/.test(String(n))) {
          const quoted = String(n).padStart(4, "0");
          ctx.addIssue({ code: "custom", message: `YAML reads ${n} as the decimal number ${n} (octal ${n.toString(8)}), not the mode ${quoted}: write it quoted, "${quoted}"` });
        }
      }),
  ])
  .transform((v) => (typeof v === "number" ? v : parseInt(v, 8)))
  .meta({ description: 'File mode, octal string like "0640"' });

/** A umask as an octal string "022"; an unquoted number gets told to quote it (YAML reads 022 as 22). */
export const Umask = z
  .union([
    z.string().regex(/^0?[0-7]{3}$/, 'expected an octal umask like "022"'),
    z.number().superRefine((n, ctx) => {
      const quoted = String(n).padStart(3, "0");
      ctx.addIssue({ code: "custom", message: `YAML reads ${n} as a number, not the octal umask ${quoted}: write it quoted, "${quoted}"` });
    }),
  ])
  .transform((v) => parseInt(String(v), 8))
  .meta({ description: 'octal umask like "022"' });

/** An absolute path with no `..` segments and no NUL. */
export const AbsolutePath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith("/"), "must be an absolute path (start with /)")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..' segments")
  .refine((p) => !p.includes("\0"), "must not contain NUL bytes");

/** USER[:GROUP]: "name", "name:group", "1000", "1000:0" (src/identity's grammar; its message says what is wrong). */
export const UserSpec = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseUserSpec(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: `invalid user ${JSON.stringify(text)}: ${parsed.error}` });
  })
  .meta({ description: 'USER[:GROUP]: names or numeric ids ("rstudio-server", "jovyan:users", "1000", "1000:0")', pattern: USER_SPEC_PATTERN });

/** A name usable as an environment variable. */
export const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name");

/** host:port or just a port (host defaults to 127.0.0.1). */
export const ListenAddress = z
  .union([z.number().int().min(1).max(65535), z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):\d{1,5}$|^\d{1,5}$/, 'expected "host:port" or a port (an IPv6 address in brackets: "[fd00::1]:4182")')])
  .transform((v) => {
    const s = String(v);
    const i = s.lastIndexOf(":");
    const host = i < 0 ? "127.0.0.1" : s.slice(0, i).replace(/^\[|\]$/g, "") || "127.0.0.1";
    const port = Number(i < 0 ? s : s.slice(i + 1));
    return { host, port };
  })
  .refine((a) => a.port >= 1 && a.port <= 65535, "port must be 1-65535");
