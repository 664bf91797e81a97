// What foyer knows about a product config file's options: their names, their types where known,
// and where that knowledge comes from. The catalogs themselves are data files next to each product
// (src/products/<product>/options*.ts); this module only defines their shape.

/** How a value is read by the product. `list` is comma-separated (launcher profiles). */
export type OptionType = "string" | "int" | "float" | "bool" | "list";

/** Options of one section: name → type. */
export type OptionTable = Readonly<Record<string, OptionType>>;

/** A section of a file: its header as written (`server`, `Server`, `RPackageRepository`), its options. */
export interface SectionCatalog {
  /** header name; for gcfg the part before a subsection name (`RPackageRepository "CRAN"` → `RPackageRepository`) */
  name: string;
  options: OptionTable;
  /** a section that repeats with a name: gcfg `[RPackageRepository "CRAN"]` */
  subsections?: boolean;
}

export interface FileCatalog {
  /** the file name as the product reads it: `rserver.conf`, `rstudio-connect.gcfg` */
  file: string;
  product: "workbench" | "connect" | "package-manager";
  /** how the text is read: Posit ini (`key=value`, case-sensitive) or gcfg (`Key = value`, case-insensitive names) */
  syntax: "ini" | "gcfg";
  /** where the names and types come from: repository path at a commit, or a documentation URL */
  sources: readonly string[];
  /**
   * true when the tables list every option the product reads (from the product's own option
   * definitions): any other name is reported. false when they are a subset (documentation pages
   * and real configs read by hand): only a name one edit away from a known one is reported, since
   * an unlisted name is more likely a real option foyer does not know than a typo.
   */
  complete: boolean;
  /** options outside any section (rserver.conf) */
  top?: OptionTable;
  /** sections and their options; a section not listed here is reported the same way as a key */
  sections?: readonly SectionCatalog[];
  /**
   * a section whose name is the user's choice (logging.conf `[@rserver]`, profiles `[@group]`):
   * every such section takes these options
   */
  anySection?: OptionTable;
}
