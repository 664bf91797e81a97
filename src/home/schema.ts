// The `home:` section: home directories, static dirs, dotfiles and JupyterLab favorites for the
// accounts that get a home (the users this container provisions, the notebook user).
import * as z from "zod";
import { AbsolutePath, FileMode } from "../spec/primitives.js";

/** A path inside a home: relative, no `..`, no empty or `.` segments. */
const HomeRelative = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/"), "a path inside the home: relative (no leading /)")
  .refine((p) => p.split("/").every((s) => s !== "" && s !== "." && s !== ".."), "no '..', '.' or empty segments")
  .refine((p) => !p.includes("\0"), "must not contain NUL bytes");

const UserName = z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, "a login name (letters, digits, _ . -)").max(64);

/** A dotfile: a Handlebars template (variables user, home, uid… plus env/secret helpers), a file in the image, or verbatim text. */
export const DotfileSchema = z
  .strictObject({
    template: z.string().optional().meta({ description: "inline Handlebars template; variables: user, home, uid, gid; helpers env, secret, default, required" }),
    templateFile: AbsolutePath.optional().meta({ description: "a Handlebars template file in the image" }),
    file: AbsolutePath.optional().meta({ description: "a file in the image, copied verbatim (like /etc/skel)" }),
    content: z.string().optional(),
    mode: FileMode.optional().meta({ description: 'default "0644"' }),
  })
  .refine((d) => [d.template, d.templateFile, d.file, d.content].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of template, templateFile, file, content",
  });

/** One JupyterLab favorite (@jlab-enhanced/favorites). `root` is best left out: JupyterLab then shows it under any server root. */
export const FavoriteSchema = z.strictObject({
  path: z.string().min(1).meta({ description: "relative to the Jupyter server's root" }),
  name: z.string().optional(),
  root: z.string().optional(),
  contentType: z.string().default("directory"),
  iconLabel: z.string().optional(),
  default: z.boolean().default(true).meta({ description: "JupyterLab's 'restore defaults' brings it back; removing it hides it (kept hidden at the next start)" }),
  hidden: z.boolean().optional(),
});

/** A Python virtual environment in each home, made as the user. */
export const VenvSchema = z
  .strictObject({
    path: HomeRelative.default(".venv").meta({ description: "where in the home" }),
    python: z.string().min(1).default("python3").meta({ description: "the base interpreter (a command on PATH or an absolute path)" }),
    systemSitePackages: z.boolean().default(false),
    requirements: AbsolutePath.optional().meta({ description: "a requirements file in the image, installed with pip" }),
    packages: z.array(z.string().min(1).regex(/^[^\s-][^\s]*$/, "one requirement specifier, no spaces, not an option")).default([]),
    kernel: z
      .strictObject({ name: z.string().regex(/^[A-Za-z0-9._-]+$/), displayName: z.string().min(1).optional() })
      .optional()
      .meta({ description: "register it as a Jupyter kernel for the user (needs ipykernel in it)" }),
  })
  .refine((v) => !(v.requirements && v.packages.length), { message: "give requirements or packages, not both" });

export const HomeSchema = z
  .strictObject({
    root: AbsolutePath.default("/home").meta({ description: "homes are ROOT/USER" }),
    users: z.array(UserName).default([]).meta({ description: "accounts that get a home (besides those foyer provisions)" }),
    self: z
      .boolean()
      .default(false)
      .meta({ description: "the account foyer itself runs as gets a home too, when it is not root (a session container started as the user)" }),
    mode: FileMode.default(0o700).meta({ description: "mode of a new home" }),
    existing: z
      .enum(["keep", "owner", "recursive"])
      .default("keep")
      .meta({ description: "an existing home (a volume): keep its owner and mode; owner: set them on the home itself; recursive: chown everything in it (slow on big volumes)" }),
    skel: AbsolutePath.optional().meta({ description: "copy the regular files of this directory into each home as dotfiles (like /etc/skel)" }),
    dirs: z
      .array(z.union([HomeRelative, z.strictObject({ path: HomeRelative, mode: FileMode.default(0o755) })]))
      .default([])
      .meta({ description: "directories made in each home when missing, e.g. .jupyter/runtime" }),
    dotfiles: z.record(HomeRelative, DotfileSchema).default({}).meta({ description: "files made in each home when missing, updated only while the user has not changed them" }),
    jupyterlabFavorites: z
      .array(FavoriteSchema)
      .default([])
      .meta({ description: "merged into each home's favorites settings, keeping the user's own entries" }),
    venv: VenvSchema.optional().meta({ description: "a Python venv made in each home as the user; rebuilt when the base Python's version changes" }),
    favoritesOverrides: AbsolutePath.optional().meta({
      description: "instead of each home: write the favorites as site defaults into this overrides.json (e.g. /usr/local/share/jupyter/lab/settings/overrides.json)",
    }),
  })
  .meta({ description: "home directories, dotfiles, static dirs and JupyterLab favorites" });

export type HomeSpec = z.infer<typeof HomeSchema>;
export type Dotfile = z.infer<typeof DotfileSchema>;
export type Favorite = z.infer<typeof FavoriteSchema>;
export type Venv = z.infer<typeof VenvSchema>;
