import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

// profiles/*.yaml are bundled as text by esbuild; do the same under vitest.
const yamlAsText = {
  name: "yaml-as-text",
  transform(_code: string, id: string) {
    if (!id.endsWith(".yaml")) return null;
    return { code: `export default ${JSON.stringify(readFileSync(id, "utf8"))};`, map: null };
  },
};

export default defineConfig({
  plugins: [yamlAsText],
  define: { FOYER_VERSION: JSON.stringify("0.0.0-test") },
  test: {
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 10_000 } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      // `make e2e`: the binary in Debian roots (scripts/e2e-roots.sh makes them)
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
